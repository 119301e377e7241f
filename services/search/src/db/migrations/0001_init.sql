-- Search's read model: one table per kind of document (users, posts, products), each a
-- projection of its owner's events with a weighted tsvector for full-text matching (names
-- weight A, text and descriptions weight B) and, for names, a trigram index for typos.
--
-- Each document is indexed twice over, in two columns: `words` under the `simple` configuration
-- (every word as written, lower-cased, no stop word dropped, so names, non-English words and
-- prefixes of words match) and `stems` under `english` (so "running" finds "run"). Two columns
-- rather than one concatenated vector, so a quoted phrase can't match across the seam.
--
-- The GIN indexes write through (fastupdate off): a search must never scan a pending list of
-- recent insertions, which also makes the planner price the index as a full scan.
--
-- Deleted documents stay as tombstones (deleted_at set, content erased, so they index nothing):
-- delivery is unordered, and a create or update arriving after its delete must find it deleted.

-- pg_trgm lands in the first schema on the path (public on PostgreSQL, this service's schema on
-- the embedded platform's shared PGlite); if another service of that PGlite installed it first it
-- lives in theirs, so every use of it below and in queries names its schema (see trigram-schema).
create extension if not exists pg_trgm;

-- People: the user documents, and the author summaries shown on posts.
create table users (
  id uuid primary key,
  username text not null,
  display_name text not null,
  avatar_url text,
  -- Recency for ties: registeredAt of user.registered (until it arrives, the time of the first
  -- event seen about the user).
  registered_at timestamptz not null,
  -- The profile.updated applied last, by its envelope's (occurredAt, id): an older one never
  -- overwrites it. Null while the names come from user.registered alone.
  profile_at timestamptz,
  profile_event_id uuid,
  deleted_at timestamptz,
  names text generated always as (username || ' ' || display_name) stored,
  words tsvector generated always as (setweight(to_tsvector('simple'::regconfig, username || ' ' || display_name), 'A')) stored,
  stems tsvector generated always as (setweight(to_tsvector('english'::regconfig, username || ' ' || display_name), 'A')) stored
);
create index users_words on users using gin (words) with (fastupdate = off) where deleted_at is null;
create index users_stems on users using gin (stems) with (fastupdate = off) where deleted_at is null;

create table posts (
  id uuid primary key,
  author_id uuid not null,
  text text not null,
  -- createdAt or updatedAt of the text held: an older post.updated never overwrites a newer one.
  text_at timestamptz not null,
  -- Null until post.created arrives (a post.updated may overtake it); such a post isn't shown yet.
  created_at timestamptz,
  deleted_at timestamptz,
  words tsvector generated always as (setweight(to_tsvector('simple'::regconfig, text), 'B')) stored,
  stems tsvector generated always as (setweight(to_tsvector('english'::regconfig, text), 'B')) stored
);
create index posts_words on posts using gin (words) with (fastupdate = off) where deleted_at is null;
create index posts_stems on posts using gin (stems) with (fastupdate = off) where deleted_at is null;
-- Erasing a user finds their posts.
create index posts_by_author on posts (author_id);

create table products (
  id uuid primary key,
  seller_id uuid not null,
  name text not null,
  description text not null,
  price_cents bigint not null,
  currency text not null,
  category_id uuid,
  -- updatedAt of the version held (last write wins), and the product's recency for ties.
  updated_at timestamptz not null,
  deleted_at timestamptz,
  words tsvector generated always as (
    setweight(to_tsvector('simple'::regconfig, name), 'A') || setweight(to_tsvector('simple'::regconfig, description), 'B')
  ) stored,
  stems tsvector generated always as (
    setweight(to_tsvector('english'::regconfig, name), 'A') || setweight(to_tsvector('english'::regconfig, description), 'B')
  ) stored
);
create index products_words on products using gin (words) with (fastupdate = off) where deleted_at is null;
create index products_stems on products using gin (stems) with (fastupdate = off) where deleted_at is null;
-- Erasing a user finds the products they sell.
create index products_by_seller on products (seller_id);

-- Trigram indexes of names, for typo-tolerant matching (word_similarity, the <% operator).
do $$
declare
  trgm text := (select quote_ident(nspname) from pg_extension join pg_namespace on pg_namespace.oid = extnamespace where extname = 'pg_trgm');
begin
  execute format('create index users_names_trigrams on users using gin (names %s.gin_trgm_ops) with (fastupdate = off) where deleted_at is null', trgm);
  execute format('create index products_name_trigrams on products using gin (name %s.gin_trgm_ops) with (fastupdate = off) where deleted_at is null', trgm);
end
$$;
