/** Drizzle definitions of the tables created by ./migrations (kept in step with the SQL by hand). */
import { integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const media = pgTable('media', {
  id: uuid('id').primaryKey(),
  ownerId: uuid('owner_id').notNull(),
  contentType: text('content_type').notNull(),
  size: integer('size').notNull(),
  width: integer('width').notNull(),
  height: integer('height').notNull(),
  imageKey: text('image_key').notNull(),
  imageSha256: text('image_sha256').notNull(),
  thumbnailKey: text('thumbnail_key').notNull(),
  thumbnailSize: integer('thumbnail_size').notNull(),
  thumbnailSha256: text('thumbnail_sha256').notNull(),
  createdAt: at('created_at').notNull(),
  deletedAt: at('deleted_at'),
  purgedAt: at('purged_at'),
});

export const erasedUsers = pgTable('erased_users', {
  userId: uuid('user_id').primaryKey(),
  erasedAt: at('erased_at').notNull(),
});

export type MediaRow = typeof media.$inferSelect;
export type NewMediaRow = typeof media.$inferInsert;
