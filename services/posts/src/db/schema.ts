/** Drizzle definitions of the tables created by ./migrations (kept in step with the SQL by hand). */
import { boolean, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const posts = pgTable('posts', {
  id: uuid('id').primaryKey(),
  authorId: uuid('author_id').notNull(),
  text: text('text').notNull(),
  mediaIds: uuid('media_ids').array().notNull(),
  likeCount: integer('like_count').notNull(),
  commentCount: integer('comment_count').notNull(),
  fannedOut: boolean('fanned_out').notNull(),
  createdAt: at('created_at').notNull(),
  updatedAt: at('updated_at').notNull(),
});

export const feedEntries = pgTable(
  'feed_entries',
  {
    ownerId: uuid('owner_id').notNull(),
    postId: uuid('post_id').notNull(),
    authorId: uuid('author_id').notNull(),
    createdAt: at('created_at').notNull(),
  },
  (table) => [primaryKey({ columns: [table.postId, table.ownerId] })],
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

export const follows = pgTable(
  'follows',
  {
    followerId: uuid('follower_id').notNull(),
    followeeId: uuid('followee_id').notNull(),
    active: boolean('active').notNull(),
    changedAt: at('changed_at').notNull(),
  },
  (table) => [primaryKey({ columns: [table.followerId, table.followeeId] })],
);

export const followerCounts = pgTable('follower_counts', {
  userId: uuid('user_id').primaryKey(),
  followers: integer('followers').notNull(),
});

export const media = pgTable('media', {
  id: uuid('id').primaryKey(),
  ownerId: uuid('owner_id').notNull(),
  url: text('url'),
  thumbnailUrl: text('thumbnail_url'),
  contentType: text('content_type'),
  postId: uuid('post_id'),
  deletedAt: at('deleted_at'),
});

export const postLikes = pgTable(
  'post_likes',
  {
    postId: uuid('post_id').notNull(),
    userId: uuid('user_id').notNull(),
    liked: boolean('liked').notNull(),
    changedAt: at('changed_at').notNull(),
  },
  (table) => [primaryKey({ columns: [table.postId, table.userId] })],
);

export const postComments = pgTable('post_comments', {
  commentId: uuid('comment_id').primaryKey(),
  postId: uuid('post_id').notNull(),
  authorId: uuid('author_id').notNull(),
  deleted: boolean('deleted').notNull(),
});

export type PostRow = typeof posts.$inferSelect;
export type AuthorRow = typeof authors.$inferSelect;
export type MediaRow = typeof media.$inferSelect;
