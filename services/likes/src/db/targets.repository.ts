/**
 * The posts and comments likes hang on, as their services announce them (created, deleted).
 * Rows are never removed: a deleted target keeps a tombstone so its late creation stays deleted.
 * Every function takes the database or an open transaction.
 */
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Queryable } from '@agora/kit/db/database';
import { comments, erasedUsers, posts } from './schema.ts';

const likerErased = (userId: string) => sql<boolean>`exists (select 1 from ${erasedUsers} where ${erasedUsers.userId} = ${userId})`;

export interface PostForLike {
  authorId: string;
  deletedAt: Date | null;
  /** The liker was erased meanwhile (their token outlived the account by a moment). */
  likerErased: boolean;
}

/** Reads the post and holds it until the transaction ends, so its deletion waits for this like. */
export async function lockPostForLike(q: Queryable, postId: string, userId: string): Promise<PostForLike | null> {
  const [row] = await q
    .select({ authorId: posts.authorId, deletedAt: posts.deletedAt, likerErased: likerErased(userId) })
    .from(posts)
    .where(eq(posts.id, postId))
    .for('share');
  return row ?? null;
}

export interface CommentForLike {
  authorId: string;
  postId: string;
  /** Set when the comment or its post is gone. */
  deletedAt: Date | null;
  likerErased: boolean;
}

/** Reads the comment (gone with its post too) and holds it, as lockPostForLike does the post. */
export async function lockCommentForLike(q: Queryable, commentId: string, userId: string): Promise<CommentForLike | null> {
  const [row] = await q
    .select({
      authorId: comments.authorId,
      postId: comments.postId,
      deletedAt: sql<Date | null>`coalesce(${comments.deletedAt}, ${posts.deletedAt})`.mapWith(comments.deletedAt),
      likerErased: likerErased(userId),
    })
    .from(comments)
    .leftJoin(posts, eq(posts.id, comments.postId))
    .where(eq(comments.id, commentId))
    .for('share', { of: comments });
  return row ?? null;
}

export async function findPost(q: Queryable, postId: string): Promise<{ authorId: string; deletedAt: Date | null } | null> {
  const [row] = await q.select({ authorId: posts.authorId, deletedAt: posts.deletedAt }).from(posts).where(eq(posts.id, postId));
  return row ?? null;
}

export async function findPostAuthors(q: Queryable, postIds: string[]): Promise<Map<string, string>> {
  if (postIds.length === 0) return new Map();
  const rows = await q.select({ id: posts.id, authorId: posts.authorId }).from(posts).where(inArray(posts.id, postIds));
  return new Map(rows.map((row) => [row.id, row.authorId]));
}

export async function findComments(q: Queryable, commentIds: string[]): Promise<Map<string, { authorId: string; postId: string }>> {
  if (commentIds.length === 0) return new Map();
  const rows = await q
    .select({ id: comments.id, authorId: comments.authorId, postId: comments.postId })
    .from(comments)
    .where(inArray(comments.id, commentIds));
  return new Map(rows.map((row) => [row.id, { authorId: row.authorId, postId: row.postId }]));
}

/** A repeated post.created, or one after its post.deleted, changes nothing. */
export async function recordPost(q: Queryable, post: { id: string; authorId: string }): Promise<void> {
  await q.insert(posts).values(post).onConflictDoNothing();
}

/** Marks the post deleted (creating its tombstone when post.created hasn't arrived) and locks it. */
export async function recordPostDeleted(q: Queryable, post: { id: string; authorId: string }, at: Date): Promise<void> {
  await q
    .insert(posts)
    .values({ ...post, deletedAt: at })
    .onConflictDoUpdate({ target: posts.id, set: { deletedAt: sql`coalesce(${posts.deletedAt}, excluded.deleted_at)` } });
}

/** A comment on a deleted post is born deleted. */
export async function recordComment(q: Queryable, comment: { id: string; postId: string; authorId: string }): Promise<void> {
  const postDeletedAt = sql`(select ${posts.deletedAt} from ${posts} where ${posts.id} = ${comment.postId})`;
  await q
    .insert(comments)
    .values({ ...comment, deletedAt: postDeletedAt })
    .onConflictDoNothing();
}

export async function recordCommentDeleted(q: Queryable, comment: { id: string; postId: string; authorId: string }, at: Date): Promise<void> {
  await q
    .insert(comments)
    .values({ ...comment, deletedAt: at })
    .onConflictDoUpdate({ target: comments.id, set: { deletedAt: sql`coalesce(${comments.deletedAt}, excluded.deleted_at)` } });
}

/** The comments of a deleted post go with it (locking them, so their likes in flight finish first). */
export async function markCommentsOfPostDeleted(q: Queryable, postId: string, at: Date): Promise<void> {
  await q.update(comments).set({ deletedAt: at }).where(and(eq(comments.postId, postId), isNull(comments.deletedAt)));
}
