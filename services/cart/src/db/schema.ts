/** Drizzle definitions of the tables created by ./migrations (kept in step with the SQL by hand). */
import { bigint, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const products = pgTable('products', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  priceCents: bigint('price_cents', { mode: 'number' }).notNull(),
  currency: text('currency').notNull(),
  updatedAt: at('updated_at').notNull(),
  deletedAt: at('deleted_at'),
});

export const carts = pgTable('carts', {
  userId: uuid('user_id').primaryKey(),
  erasedAt: at('erased_at'),
});

export const cartLines = pgTable(
  'cart_lines',
  {
    userId: uuid('user_id').notNull(),
    productId: uuid('product_id').notNull(),
    quantity: integer('quantity').notNull(),
    addedAt: at('added_at').notNull(),
    changedAt: at('changed_at').notNull(),
  },
  (table) => [primaryKey({ columns: [table.userId, table.productId] })],
);
