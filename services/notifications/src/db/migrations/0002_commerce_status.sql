-- Order and payment notifications say what happened to their subject: an order was confirmed
-- or cancelled, a payment failed. Social notifications leave it null: their type says it all.
alter table notifications add column status text check (status in ('confirmed', 'cancelled', 'failed'));
