-- The users service's tables: profiles (a projection of identity's accounts plus what users edit
-- here), the follow graph with its counts, tombstones of erased users, and the media a profile
-- may use as its avatar (a projection of the media service's uploads).

create table profiles (
  id uuid primary key,
  -- Not unique: identity frees a username when its account is erased, and the new owner's
  -- user.registered may arrive before the old owner's user.deleted.
  username text not null,
  display_name text not null,
  bio text not null default '',
  avatar_media_id uuid,
  followers_count integer not null default 0 check (followers_count >= 0),
  following_count integer not null default 0 check (following_count >= 0),
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index profiles_by_username on profiles (username, created_at desc);
create index profiles_by_avatar on profiles (avatar_media_id) where avatar_media_id is not null;

-- An erased user stays erased: a user.registered delivered after its user.deleted is ignored.
create table erased_users (
  user_id uuid primary key,
  erased_at timestamptz not null
);

-- One row per edge; the primary key makes following twice (even at the same moment) count once.
-- seq orders edges newest first and is the lists' cursor (timestamps can tie).
create table follows (
  follower_id uuid not null,
  followee_id uuid not null,
  seq bigint generated always as identity,
  created_at timestamptz not null,
  primary key (follower_id, followee_id),
  constraint follows_not_self check (follower_id <> followee_id)
);
create unique index follows_by_seq on follows (seq);
create index follows_followers on follows (followee_id, seq desc);
create index follows_following on follows (follower_id, seq desc);

-- deleted_at set: the media is gone (or its media.deleted arrived before its media.uploaded).
create table media (
  id uuid primary key,
  owner_id uuid not null,
  url text,
  thumbnail_url text,
  content_type text,
  deleted_at timestamptz
);
