-- The posts service's tables: posts and the home-feed entries fanned out from them, plus the
-- projections of other services' data that posts and timelines show: authors (identity and
-- users), the follow graph (users), media (media), likes (likes) and comments (comments).
-- Timelines order by (created_at, id); every index below serves one read or one cleanup.

create table posts (
  id uuid primary key,
  author_id uuid not null,
  text text not null,
  -- In the order the author gave; media deleted since is left out when the post is shown.
  media_ids uuid[] not null default '{}',
  like_count integer not null default 0 check (like_count >= 0),
  comment_count integer not null default 0 check (comment_count >= 0),
  -- False until the post.created consumer wrote the followers' feed entries, and for good when
  -- the author had too many followers to fan out: home feeds merge such posts in when read.
  fanned_out boolean not null default false,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index posts_by_author on posts (author_id, created_at, id);
create index posts_not_fanned_out on posts (author_id, created_at, id) where not fanned_out;

-- A post in a follower's home feed. The primary key makes fan-out and backfill idempotent and
-- serves the cascade when the post goes.
create table feed_entries (
  owner_id uuid not null,
  post_id uuid not null references posts (id) on delete cascade,
  author_id uuid not null,
  created_at timestamptz not null,
  primary key (post_id, owner_id)
);
create index feed_entries_by_owner on feed_entries (owner_id, created_at, post_id);
create index feed_entries_by_owner_author on feed_entries (owner_id, author_id);

-- Authors as user.registered and profile.updated describe them. profile_at is the occurredAt of
-- the profile.updated applied last (null: only user.registered so far), so an older one
-- delivered late can't undo a newer one.
create table authors (
  id uuid primary key,
  username text not null,
  display_name text not null,
  avatar_url text,
  profile_at timestamptz
);

-- An erased user stays erased: events about them delivered after their user.deleted are ignored.
create table erased_users (
  user_id uuid primary key,
  erased_at timestamptz not null
);

-- The follow graph. A row stays when an edge is removed (active = false) so that a
-- user.followed delivered after a newer user.unfollowed can't bring the edge back; changed_at is
-- the occurredAt of the event applied last.
create table follows (
  follower_id uuid not null,
  followee_id uuid not null,
  active boolean not null,
  changed_at timestamptz not null,
  primary key (follower_id, followee_id)
);
create index follows_by_followee on follows (followee_id, follower_id);

-- Active followers per user, moved only when an edge changes state: decides fan-out on write.
create table follower_counts (
  user_id uuid primary key,
  followers integer not null default 0 check (followers >= 0)
);

-- deleted_at set: the media is gone (or its media.deleted arrived before its media.uploaded).
-- post_id: the post it was attached to; media goes with its post, so it can't serve two.
create table media (
  id uuid primary key,
  owner_id uuid not null,
  url text,
  thumbnail_url text,
  content_type text,
  post_id uuid,
  deleted_at timestamptz
);
create index media_by_owner on media (owner_id);

-- Who likes a post, as post.liked / post.unliked last said per pair (changed_at = their `at`).
-- An unlike is kept as liked = false so an older like delivered late stays overruled.
create table post_likes (
  post_id uuid not null references posts (id) on delete cascade,
  user_id uuid not null,
  liked boolean not null,
  changed_at timestamptz not null,
  primary key (post_id, user_id)
);
create index post_likes_by_user on post_likes (user_id);

-- The comments of a post, from comment.created / comment.deleted; deleted = true is a tombstone
-- (possibly written before its comment.created arrived).
create table post_comments (
  comment_id uuid primary key,
  post_id uuid not null references posts (id) on delete cascade,
  author_id uuid not null,
  deleted boolean not null
);
create index post_comments_by_post on post_comments (post_id);
create index post_comments_by_author on post_comments (author_id);
