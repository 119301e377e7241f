-- Idempotent consumers: a handler's transaction records (consumer, event id) first, so a
-- redelivered event finds its row and is acknowledged without running the handler again.
create table processed_events (
  consumer text not null,
  event_id uuid not null,
  processed_at timestamptz not null default now(),
  primary key (consumer, event_id)
);
