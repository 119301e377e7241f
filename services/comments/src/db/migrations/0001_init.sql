-- The comments service's tables: comments with their like counts, and the projections it keeps
-- of other services' data: posts (to know where one may comment and who wrote the post),
-- authors (names and avatars shown beside comments) and the set of comment likes behind the counts.

-- A post as posts announced it. deleted_at set: the post is gone (or its post.deleted arrived
-- before its post.created); the row stays as a tombstone so nothing can revive or comment on it.
create table posts (
  id uuid primary key,
  author_id uuid not null,
  deleted_at timestamptz
);

-- Who writes comments, as identity and users announce them. A row may exist before its
-- user.registered (someone commented right after sign-up): the names are null until it arrives.
-- profiled: a profile.updated has been applied, so a late user.registered no longer overwrites.
-- erased_at set: the user is erased; the row stays as a tombstone (and as the lock that keeps a
-- comment from being written while the erasure runs).
create table authors (
  id uuid primary key,
  username text,
  display_name text,
  avatar_url text,
  profiled boolean not null default false,
  erased_at timestamptz
);

create table comments (
  id uuid primary key,
  post_id uuid not null,
  author_id uuid not null,
  text text not null,
  like_count integer not null default 0 check (like_count >= 0),
  created_at timestamptz not null,
  updated_at timestamptz not null
);
-- A post's comments oldest first, with (created_at, id) as the cursor.
create index comments_by_post on comments (post_id, created_at, id);
create index comments_by_author on comments (author_id);

-- The last like or unlike applied per (comment, user), with its time: a change older than the
-- one recorded is ignored, and like_count moves only when `liked` flips (or a new liked row
-- appears). The rows go with their comment.
create table comment_likes (
  comment_id uuid not null references comments (id) on delete cascade,
  user_id uuid not null,
  liked boolean not null,
  at timestamptz not null,
  primary key (comment_id, user_id)
);
create index comment_likes_by_user on comment_likes (user_id);
