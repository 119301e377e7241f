-- Transactional outbox: a service inserts its events here in the same transaction as the state
-- change they announce; the relay publishes them to the bus and stamps published_at.
create table outbox (
  id uuid primary key,
  type text not null,
  envelope jsonb not null,
  headers jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  published_at timestamptz,
  attempts integer not null default 0,
  claimed_until timestamptz,
  last_error text
);

-- The relay only ever scans what is still to send, oldest first.
create index outbox_unpublished on outbox (created_at, id) where published_at is null;
-- Lets the relay delete old published rows without a full scan.
create index outbox_published on outbox (published_at) where published_at is not null;

-- NOTIFY is delivered on commit, so the relay wakes exactly when new events become visible.
create function outbox_notify() returns trigger language plpgsql as $$
begin
  perform pg_notify('outbox', '');
  return null;
end
$$;

create trigger outbox_notify after insert on outbox for each statement execute function outbox_notify();
