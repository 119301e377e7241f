/** Drizzle definitions of the tables created by ./migrations (kept in step with the SQL by hand). */
import { sql } from 'drizzle-orm';
import { bigint, customType, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** Read only by the search query; PostgreSQL computes these columns from the row itself. */
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/** `text` as weighted lexemes of one configuration, as in 0001_init.sql. */
const weighted = (config: 'simple' | 'english', text: string, weight: 'A' | 'B') => `setweight(to_tsvector('${config}'::regconfig, ${text}), '${weight}')`;
const names = `username || ' ' || display_name`;

export const users = pgTable('users', {
  id: uuid('id').primaryKey(),
  username: text('username').notNull(),
  displayName: text('display_name').notNull(),
  avatarUrl: text('avatar_url'),
  registeredAt: at('registered_at').notNull(),
  profileAt: at('profile_at'),
  profileEventId: uuid('profile_event_id'),
  deletedAt: at('deleted_at'),
  names: text('names').generatedAlwaysAs(sql.raw(names)),
  words: tsvector('words').generatedAlwaysAs(sql.raw(weighted('simple', names, 'A'))),
  stems: tsvector('stems').generatedAlwaysAs(sql.raw(weighted('english', names, 'A'))),
});

export const posts = pgTable('posts', {
  id: uuid('id').primaryKey(),
  authorId: uuid('author_id').notNull(),
  text: text('text').notNull(),
  textAt: at('text_at').notNull(),
  createdAt: at('created_at'),
  deletedAt: at('deleted_at'),
  words: tsvector('words').generatedAlwaysAs(sql.raw(weighted('simple', 'text', 'B'))),
  stems: tsvector('stems').generatedAlwaysAs(sql.raw(weighted('english', 'text', 'B'))),
});

export const products = pgTable('products', {
  id: uuid('id').primaryKey(),
  sellerId: uuid('seller_id').notNull(),
  name: text('name').notNull(),
  description: text('description').notNull(),
  priceCents: bigint('price_cents', { mode: 'number' }).notNull(),
  currency: text('currency').notNull(),
  categoryId: uuid('category_id'),
  updatedAt: at('updated_at').notNull(),
  deletedAt: at('deleted_at'),
  words: tsvector('words').generatedAlwaysAs(sql.raw(`${weighted('simple', 'name', 'A')} || ${weighted('simple', 'description', 'B')}`)),
  stems: tsvector('stems').generatedAlwaysAs(sql.raw(`${weighted('english', 'name', 'A')} || ${weighted('english', 'description', 'B')}`)),
});
