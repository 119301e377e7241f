-- The cart service's tables: the carts and their lines, and the products they are priced from
-- (a projection of the catalog's product.* events, with tombstones so late events stay dead).

-- One row per product ever announced. `updated_at` is the updatedAt of the version held: a
-- product.created or product.updated applies only when newer. A deleted product keeps its row
-- with deleted_at set (name, price and currency blanked) so a late created/updated never
-- brings it back.
create table products (
  id uuid primary key,
  name text not null,
  price_cents bigint not null check (price_cents >= 0),
  currency text not null,
  updated_at timestamptz not null,
  deleted_at timestamptz
);

-- One row per user who ever wrote to a cart, or whose account was deleted. Writes to a cart lock
-- this row first, so checks across lines (how many, which currency) hold under concurrency.
-- erased_at set: the account is gone and the cart stays empty, even for a token outliving it.
create table carts (
  user_id uuid primary key,
  erased_at timestamptz
);

-- A line per (cart, product). changed_at is the line's last change by its owner: a confirmed
-- order drops only the lines not changed after it was placed. added_at orders the cart.
create table cart_lines (
  user_id uuid not null references carts (user_id) on delete cascade,
  product_id uuid not null,
  quantity integer not null check (quantity between 1 and 99),
  added_at timestamptz not null,
  changed_at timestamptz not null,
  primary key (user_id, product_id)
);
-- product.deleted drops the product's lines from every cart.
create index cart_lines_by_product on cart_lines (product_id);
