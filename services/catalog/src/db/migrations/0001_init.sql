-- The catalog's tables: categories, products with their stock and rating, reviews, the
-- reservations of the checkout saga and the purchases they turn into, plus the projections of
-- other services' data it shows or checks: authors of reviews (identity, users) and uploaded
-- media (media).

-- pg_trgm lands in the first schema on the path (public on PostgreSQL, this service's schema on
-- the embedded platform's shared PGlite); if another service of that PGlite installed it first it
-- lives in theirs, so every use of it below and in queries names its schema.
create extension if not exists pg_trgm;

create table categories (
  id uuid primary key,
  name text not null,
  created_at timestamptz not null
);
-- Names are unique regardless of case: "Books" and "books" would be one shelf to a buyer.
create unique index categories_name_unique on categories (lower(name));
create index categories_by_name on categories ((lower(name) collate "C"), id);

create table products (
  id uuid primary key,
  seller_id uuid not null,
  name text not null,
  description text not null,
  price_cents bigint not null check (price_cents >= 0),
  currency text not null check (currency ~ '^[A-Z]{3}$'),
  -- A deleted category leaves its products without one (the service announces each change).
  category_id uuid references categories (id),
  -- In the seller's order; media deleted since is left out when the product is shown.
  image_media_ids uuid[] not null default '{}',
  -- The stock ledger: `available` can be bought, `reserved` is held by pending orders, `sold`
  -- belongs to confirmed ones, `stocked` is everything the seller ever put on the shelf net of
  -- what they took off. The check holds at every commit, whatever the saga does.
  available bigint not null,
  reserved bigint not null default 0,
  sold bigint not null default 0,
  stocked bigint not null,
  rating_sum integer not null default 0 check (rating_sum >= 0),
  rating_count integer not null default 0 check (rating_count >= 0),
  -- What the API shows and the rating sort orders by (0 without reviews).
  rating_average numeric(3, 2) generated always as (
    case when rating_count = 0 then 0 else round(rating_sum::numeric / rating_count, 2) end
  ) stored,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  -- Soft delete: the product is gone from every read, but reservations in flight still resolve.
  deleted_at timestamptz,
  words tsvector generated always as (
    setweight(to_tsvector('simple'::regconfig, name), 'A') || setweight(to_tsvector('simple'::regconfig, description), 'B')
  ) stored,
  stems tsvector generated always as (
    setweight(to_tsvector('english'::regconfig, name), 'A') || setweight(to_tsvector('english'::regconfig, description), 'B')
  ) stored,
  constraint products_stock_ledger check (
    available >= 0 and reserved >= 0 and sold >= 0 and available + reserved + sold = stocked
  )
);
-- One index per sort of the list (keyset order), over live products only.
create index products_newest on products (created_at desc, id desc) where deleted_at is null;
create index products_by_price on products (price_cents, id) where deleted_at is null;
create index products_by_rating on products (rating_average desc, rating_count desc, id desc) where deleted_at is null;
create index products_by_category on products (category_id, created_at desc, id desc);
create index products_by_seller on products (seller_id);
create index products_words on products using gin (words) where deleted_at is null;
create index products_stems on products using gin (stems) where deleted_at is null;

do $$
declare
  trgm text := (select quote_ident(nspname) from pg_extension join pg_namespace on pg_namespace.oid = extnamespace where extname = 'pg_trgm');
begin
  execute format('create index products_name_trigrams on products using gin (name %s.gin_trgm_ops) where deleted_at is null', trgm);
end
$$;

-- One review per (product, author); the product's rating_sum and rating_count move with it in
-- the same transaction.
create table reviews (
  id uuid primary key,
  product_id uuid not null references products (id),
  author_id uuid not null,
  rating smallint not null check (rating between 1 and 5),
  text text,
  created_at timestamptz not null,
  unique (product_id, author_id)
);
create index reviews_by_product on reviews (product_id, created_at desc, id desc);
create index reviews_by_author on reviews (author_id);

-- The saga's reservation of one order, keyed by the order: every consumer of order.* locks this
-- row first (inserted as `open` when missing), so deliveries for one order run one at a time.
-- `open` never outlives its transaction. reserved -> committed | released; committed ->
-- released; rejected and released are final. `items` are the order's lines as reserved.
create table reservations (
  order_id uuid primary key,
  user_id uuid not null,
  state text not null check (state in ('open', 'reserved', 'committed', 'released', 'rejected')),
  items jsonb not null default '[]',
  updated_at timestamptz not null
);

-- Verified purchasers: a buyer's confirmed order of a product lets them review it; the order's
-- cancellation takes the record back.
create table purchases (
  order_id uuid not null,
  product_id uuid not null,
  user_id uuid not null,
  primary key (order_id, product_id)
);
create index purchases_by_buyer on purchases (user_id, product_id);

-- Review authors as user.registered and profile.updated describe them. profile_at is the
-- occurredAt of the profile.updated applied last (null: only user.registered so far).
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

-- Uploads a seller may show on a product. deleted_at set: the media is gone (or its media.deleted
-- arrived before its media.uploaded).
create table media (
  id uuid primary key,
  owner_id uuid not null,
  url text,
  deleted_at timestamptz
);
create index media_by_owner on media (owner_id);
