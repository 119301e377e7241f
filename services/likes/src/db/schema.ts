/** Drizzle definitions of the tables created by ./migrations (kept in step with the SQL by hand). */
import { sql } from 'drizzle-orm';
import { bigint, boolean, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export type TargetKind = 'post' | 'comment';

export const likes = pgTable('likes', {
  targetKind: text('target_kind').$type<TargetKind>().notNull(),
  targetId: uuid('target_id').notNull(),
  userId: uuid('user_id').notNull(),
  liked: boolean('liked').notNull(),
  changedAt: at('changed_at').notNull(),
  seq: bigint('seq', { mode: 'number' }).notNull().default(sql`nextval('like_seq')`),
});

export const posts = pgTable('posts', {
  id: uuid('id').primaryKey(),
  authorId: uuid('author_id').notNull(),
  deletedAt: at('deleted_at'),
});

export const comments = pgTable('comments', {
  id: uuid('id').primaryKey(),
  postId: uuid('post_id').notNull(),
  authorId: uuid('author_id').notNull(),
  deletedAt: at('deleted_at'),
});

export const authors = pgTable('authors', {
  id: uuid('id').primaryKey(),
  username: text('username').notNull(),
  displayName: text('display_name').notNull(),
  avatarUrl: text('avatar_url'),
});

export const erasedUsers = pgTable('erased_users', {
  userId: uuid('user_id').primaryKey(),
  erasedAt: at('erased_at').notNull(),
});
