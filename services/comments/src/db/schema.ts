/** Drizzle definitions of the tables created by ./migrations (kept in step with the SQL by hand). */
import { boolean, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const posts = pgTable('posts', {
  id: uuid('id').primaryKey(),
  authorId: uuid('author_id').notNull(),
  deletedAt: at('deleted_at'),
});

export const authors = pgTable('authors', {
  id: uuid('id').primaryKey(),
  username: text('username'),
  displayName: text('display_name'),
  avatarUrl: text('avatar_url'),
  profiled: boolean('profiled').notNull().default(false),
  erasedAt: at('erased_at'),
});

export const comments = pgTable('comments', {
  id: uuid('id').primaryKey(),
  postId: uuid('post_id').notNull(),
  authorId: uuid('author_id').notNull(),
  text: text('text').notNull(),
  likeCount: integer('like_count').notNull().default(0),
  createdAt: at('created_at').notNull(),
  updatedAt: at('updated_at').notNull(),
});

export const commentLikes = pgTable(
  'comment_likes',
  {
    commentId: uuid('comment_id')
      .notNull()
      .references(() => comments.id, { onDelete: 'cascade' }),
    userId: uuid('user_id').notNull(),
    liked: boolean('liked').notNull(),
    at: at('at').notNull(),
  },
  (table) => [primaryKey({ columns: [table.commentId, table.userId] })],
);

export type PostRow = typeof posts.$inferSelect;
export type AuthorRow = typeof authors.$inferSelect;
export type CommentRow = typeof comments.$inferSelect;
