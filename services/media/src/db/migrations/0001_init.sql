-- The media service's tables: one row per upload (kept after deletion as a tombstone, so a
-- deleted id stays 404 and repeated deletions find nothing to do), and the users erased by
-- user.deleted, so an upload finishing after its owner's erasure is not kept.

create table media (
  id uuid primary key,
  owner_id uuid not null,
  content_type text not null,
  -- The served image (bounded to the display size), not the upload as sent.
  size integer not null check (size > 0),
  width integer not null check (width > 0),
  height integer not null check (height > 0),
  image_key text not null,
  image_sha256 text not null,
  thumbnail_key text not null,
  thumbnail_size integer not null check (thumbnail_size > 0),
  thumbnail_sha256 text not null,
  created_at timestamptz not null,
  deleted_at timestamptz,
  -- Set once the bytes of a deleted upload are gone from storage.
  purged_at timestamptz,
  constraint media_purged_after_deleted check (purged_at is null or deleted_at is not null)
);
create index media_live_by_owner on media (owner_id) where deleted_at is null;
create index media_awaiting_purge on media (deleted_at) where deleted_at is not null and purged_at is null;

create table erased_users (
  user_id uuid primary key,
  erased_at timestamptz not null
);
