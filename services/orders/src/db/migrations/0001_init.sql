-- The orders service's tables: its projection of the catalog (prices and names come from it,
-- never from the client), the orders with their saga state, and the Idempotency-Keys of
-- POST /orders with the response each one gave.

-- Products as catalog announces them. A row whose deleted_at is set is a tombstone: the product
-- can't be ordered any more, and a late product.created / product.updated doesn't bring it
-- back (the other columns stay null when product.deleted arrived first). updated_at orders
-- product.created and product.updated: the newest wins whatever the delivery order.
create table products (
  id uuid primary key,
  name text,
  price_cents bigint check (price_cents >= 0),
  currency text,
  updated_at timestamptz,
  deleted_at timestamptz
);

-- Lists run newest first by this number, which is also their cursor (timestamps from the
-- injected clock can tie).
create sequence order_seq;

-- An order. items is the snapshot made at creation ([{ productId, name, unitPriceCents,
-- quantity }]) and never changes; status moves only from pending, except that the buyer may
-- cancel a confirmed order too.
create table orders (
  id uuid primary key,
  seq bigint not null unique default nextval('order_seq'),
  user_id uuid not null,
  status text not null check (status in ('pending', 'confirmed', 'cancelled')),
  cancel_reason text check (cancel_reason in ('out_of_stock', 'payment_declined', 'cancelled_by_user', 'timed_out')),
  items jsonb not null,
  total_cents bigint not null check (total_cents >= 0),
  currency text not null,
  payment_method text not null,
  shipping_address jsonb not null,
  from_cart boolean not null,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  stock_reserved_at timestamptz,
  confirmed_at timestamptz,
  cancelled_at timestamptz,
  check ((status = 'cancelled') = (cancel_reason is not null))
);
create index orders_by_user on orders (user_id, seq desc);
-- The timeout sweeper's scan: only pending orders, oldest first.
create index orders_pending_by_age on orders (created_at) where status = 'pending';

-- Idempotency-Keys, scoped to the user who sent them (Stripe's semantics). A key is claimed
-- (in_flight, committed) before the work starts, and completed in the transaction that creates
-- the order, with the response to replay. claim_id tells a claim from the one that took it
-- over after IDEMPOTENCY_CLAIM_TIMEOUT_MS.
create table idempotency_keys (
  user_id uuid not null,
  key text not null,
  fingerprint text not null,
  state text not null check (state in ('in_flight', 'completed')),
  claim_id uuid not null,
  claimed_at timestamptz not null,
  expires_at timestamptz not null,
  response_status integer,
  response_body jsonb,
  primary key (user_id, key),
  unique (claim_id),
  check ((state = 'completed') = (response_status is not null and response_body is not null))
);
create index idempotency_keys_by_expiry on idempotency_keys (expires_at);
