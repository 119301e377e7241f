-- Orders no longer consumes stock.reserved (payments acts on it; recording it cost a
-- transaction per checkout and decided nothing).
alter table orders drop column if exists stock_reserved_at;
