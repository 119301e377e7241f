/** Drizzle definitions of the tables created by ./migrations (kept in step with the SQL by hand). */
import { sql } from 'drizzle-orm';
import { bigint, integer, jsonb, numeric, pgTable, primaryKey, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const count = (name: string) => bigint(name, { mode: 'number' });

export const categories = pgTable('categories', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  createdAt: at('created_at').notNull(),
});

export const products = pgTable('products', {
  id: uuid('id').primaryKey(),
  sellerId: uuid('seller_id').notNull(),
  name: text('name').notNull(),
  description: text('description').notNull(),
  priceCents: count('price_cents').notNull(),
  currency: text('currency').notNull(),
  categoryId: uuid('category_id'),
  imageMediaIds: uuid('image_media_ids').array().notNull(),
  available: count('available').notNull(),
  reserved: count('reserved').notNull(),
  sold: count('sold').notNull(),
  stocked: count('stocked').notNull(),
  ratingSum: integer('rating_sum').notNull(),
  ratingCount: integer('rating_count').notNull(),
  ratingAverage: numeric('rating_average').generatedAlwaysAs(sql`0`),
  createdAt: at('created_at').notNull(),
  updatedAt: at('updated_at').notNull(),
  deletedAt: at('deleted_at'),
});

export const reviews = pgTable('reviews', {
  id: uuid('id').primaryKey(),
  productId: uuid('product_id').notNull(),
  authorId: uuid('author_id').notNull(),
  rating: smallint('rating').notNull(),
  text: text('text'),
  createdAt: at('created_at').notNull(),
});

export type ReservationState = 'open' | 'reserved' | 'committed' | 'released' | 'rejected';

export interface ReservedLine {
  productId: string;
  quantity: number;
  unitPriceCents: number;
}

export const reservations = pgTable('reservations', {
  orderId: uuid('order_id').primaryKey(),
  userId: uuid('user_id').notNull(),
  state: text('state').$type<ReservationState>().notNull(),
  items: jsonb('items').$type<ReservedLine[]>().notNull(),
  updatedAt: at('updated_at').notNull(),
});

export const purchases = pgTable(
  'purchases',
  {
    orderId: uuid('order_id').notNull(),
    productId: uuid('product_id').notNull(),
    userId: uuid('user_id').notNull(),
  },
  (table) => [primaryKey({ columns: [table.orderId, table.productId] })],
);

export const authors = pgTable('authors', {
  id: uuid('id').primaryKey(),
  username: text('username').notNull(),
  displayName: text('display_name').notNull(),
  avatarUrl: text('avatar_url'),
  profileAt: at('profile_at'),
});

export const erasedUsers = pgTable('erased_users', {
  userId: uuid('user_id').primaryKey(),
  erasedAt: at('erased_at').notNull(),
});

export const media = pgTable('media', {
  id: uuid('id').primaryKey(),
  ownerId: uuid('owner_id').notNull(),
  url: text('url'),
  deletedAt: at('deleted_at'),
});

export type ProductRow = typeof products.$inferSelect;
export type CategoryRow = typeof categories.$inferSelect;
export type ReservationRow = typeof reservations.$inferSelect;
export type MediaRow = typeof media.$inferSelect;
