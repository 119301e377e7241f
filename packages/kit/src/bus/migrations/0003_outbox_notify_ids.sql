-- NOTIFY names each new row, so the relay claims exactly those rows by primary key instead of
-- scanning for unpublished ones on every wake-up. The scan walks every outbox row updated since
-- the last VACUUM (published rows leave dead index entries behind), so its cost grows with the
-- traffic between vacuums; a claim by id costs the same however many there are. The scan stays,
-- on the relay's poll timer, for rows whose notification was lost.
create or replace function outbox_notify() returns trigger language plpgsql as $$
begin
  perform pg_notify('outbox', new.id::text);
  return null;
end
$$;

drop trigger outbox_notify on outbox;
create trigger outbox_notify after insert on outbox for each row execute function outbox_notify();
