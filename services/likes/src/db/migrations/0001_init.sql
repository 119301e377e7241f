-- The likes service's tables: one row per (target, user) pair that was ever liked, and the
-- projections it checks likes against: posts and comments (from their services' events) and
-- the likers' names (from identity and users), with tombstones so late events stay dead.

-- Orders the likers of a post, newest like first; a re-like takes a new number.
create sequence like_seq;

-- One row per (target, user): the primary key makes a like and its concurrent duplicates count
-- once. An unlike keeps the row with liked = false so the pair's last change time survives:
-- every change of a pair gets a strictly later `at` than the one before (consumers order a
-- pair's events by it). The rows of a user go with user.deleted, those of a target with it.
create table likes (
  target_kind text not null check (target_kind in ('post', 'comment')),
  target_id uuid not null,
  user_id uuid not null,
  liked boolean not null,
  changed_at timestamptz not null,
  seq bigint not null default nextval('like_seq'),
  primary key (target_kind, target_id, user_id)
);
create index likes_likers on likes (target_id, seq desc) where target_kind = 'post' and liked;
create index likes_by_user on likes (user_id);

-- deleted_at set: the post is gone (or its post.deleted arrived before its post.created).
create table posts (
  id uuid primary key,
  author_id uuid not null,
  deleted_at timestamptz
);

-- deleted_at set: the comment is gone, by comment.deleted or with its post.
create table comments (
  id uuid primary key,
  post_id uuid not null,
  author_id uuid not null,
  deleted_at timestamptz
);
create index comments_by_post on comments (post_id);

-- The likers as the likers list shows them: user.registered, then profile.updated (whole profile).
create table authors (
  id uuid primary key,
  username text not null,
  display_name text not null,
  avatar_url text
);

-- An erased user stays erased: events about them delivered after user.deleted change nothing.
create table erased_users (
  user_id uuid primary key,
  erased_at timestamptz not null
);
