/** Drizzle definitions of the tables created by ./migrations (kept in step with the SQL by hand). */
import { bigint, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const profiles = pgTable('profiles', {
  id: uuid('id').primaryKey(),
  username: text('username').notNull(),
  displayName: text('display_name').notNull(),
  bio: text('bio').notNull(),
  avatarMediaId: uuid('avatar_media_id'),
  followersCount: integer('followers_count').notNull(),
  followingCount: integer('following_count').notNull(),
  createdAt: at('created_at').notNull(),
  updatedAt: at('updated_at').notNull(),
});

export const erasedUsers = pgTable('erased_users', {
  userId: uuid('user_id').primaryKey(),
  erasedAt: at('erased_at').notNull(),
});

export const follows = pgTable('follows', {
  followerId: uuid('follower_id').notNull(),
  followeeId: uuid('followee_id').notNull(),
  seq: bigint('seq', { mode: 'number' }).generatedAlwaysAsIdentity(),
  createdAt: at('created_at').notNull(),
});

export const media = pgTable('media', {
  id: uuid('id').primaryKey(),
  ownerId: uuid('owner_id').notNull(),
  url: text('url'),
  thumbnailUrl: text('thumbnail_url'),
  contentType: text('content_type'),
  deletedAt: at('deleted_at'),
});

export type ProfileRow = typeof profiles.$inferSelect;
export type MediaRow = typeof media.$inferSelect;
