-- The payments service's tables: the orders it has heard of (the row each order's events lock,
-- and where a cancellation that overtakes the charge is remembered) and the payments themselves.

-- One row per order that stock.reserved or order.cancelled named, created on first sight with
-- insert … on conflict do nothing and then locked FOR UPDATE: every event about one order waits
-- for the one before it, whichever instance and delivery handles it. cancelled_at set: the order
-- is over, so a stock.reserved arriving later (or redelivered) never charges.
create table payment_orders (
  order_id uuid primary key,
  first_seen_at timestamptz not null,
  cancelled_at timestamptz,
  cancel_reason text
);

-- At most one payment per order (unique order_id): a second charge is impossible even if the
-- lock above were bypassed. Payments are financial records: never deleted, not even with their
-- user (user.deleted is not consumed).
create table payments (
  id uuid primary key,
  order_id uuid not null unique,
  user_id uuid not null,
  amount_cents bigint not null check (amount_cents >= 0),
  currency text not null check (currency ~ '^[A-Z]{3}$'),
  payment_method text not null,
  status text not null check (status in ('succeeded', 'failed', 'refunded')),
  failure_reason text,
  processor_reference text,
  refund_reference text,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  refunded_at timestamptz,
  check ((status = 'failed') = (failure_reason is not null)),
  check ((status = 'refunded') = (refunded_at is not null))
);
-- The owner's list and the admin's list, newest first (created_at, id) as the cursor.
create index payments_by_user on payments (user_id, created_at desc, id desc);
create index payments_by_time on payments (created_at desc, id desc);
