/** Comments and their like counts. Every function takes the database or an open transaction. */
import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '@agora/kit/db/database';
import { authors, comments, posts, type CommentRow } from './schema.ts';

export type { CommentRow };

/** A comment with what is known of its author (names are null until the author's events arrive). */
export interface CommentView {
  id: string;
  postId: string;
  authorId: string;
  text: string;
  likeCount: number;
  createdAt: Date;
  updatedAt: Date;
  username: string | null;
  displayName: string | null;
  avatarUrl: string | null;
}

/** The identity of a deleted comment, as comment.deleted announces it. */
export interface DeletedComment {
  id: string;
  postId: string;
  authorId: string;
}

/** Where a page of a post's comments ends: the last comment served, in (createdAt, id) order. */
export interface CommentPosition {
  createdAt: Date;
  id: string;
}

function selectViews(q: Queryable) {
  return q
    .select({
      id: comments.id,
      postId: comments.postId,
      authorId: comments.authorId,
      text: comments.text,
      likeCount: comments.likeCount,
      createdAt: comments.createdAt,
      updatedAt: comments.updatedAt,
      username: authors.username,
      displayName: authors.displayName,
      avatarUrl: authors.avatarUrl,
    })
    .from(comments)
    .leftJoin(authors, eq(authors.id, comments.authorId));
}

export async function insertComment(q: Queryable, comment: Omit<CommentRow, 'likeCount'>): Promise<void> {
  await q.insert(comments).values({ ...comment, likeCount: 0 });
}

export async function findCommentView(q: Queryable, id: string): Promise<CommentView | null> {
  const [row] = await selectViews(q).where(eq(comments.id, id));
  return row ?? null;
}

/** Oldest first: `limit` comments of the post after `after`. */
export async function listCommentViews(q: Queryable, postId: string, options: { limit: number; after?: CommentPosition | undefined }): Promise<CommentView[]> {
  const { after } = options;
  return selectViews(q)
    .where(
      and(
        eq(comments.postId, postId),
        // A row comparison, so the (post_id, created_at, id) index serves the page directly.
        after === undefined ? undefined : sql`(${comments.createdAt}, ${comments.id}) > (${after.createdAt.toISOString()}::timestamptz, ${after.id}::uuid)`,
      ),
    )
    .orderBy(asc(comments.createdAt), asc(comments.id))
    .limit(options.limit);
}

/** The comment, locked for the rest of the transaction, with the author of its post (for permissions). */
export async function lockComment(q: Queryable, id: string): Promise<(DeletedComment & { postAuthorId: string | null }) | null> {
  const [row] = await q
    .select({ id: comments.id, postId: comments.postId, authorId: comments.authorId, postAuthorId: posts.authorId })
    .from(comments)
    .leftJoin(posts, eq(posts.id, comments.postId))
    .where(eq(comments.id, id))
    .for('update', { of: comments });
  return row ?? null;
}

export async function updateCommentText(q: Queryable, id: string, text: string, at: Date): Promise<void> {
  await q.update(comments).set({ text, updatedAt: at }).where(eq(comments.id, id));
}

/** Deletes the comment (its like rows go with it) and returns it, or null when it was already gone. */
export async function deleteComment(q: Queryable, id: string): Promise<DeletedComment | null> {
  const [row] = await q.delete(comments).where(eq(comments.id, id)).returning({ id: comments.id, postId: comments.postId, authorId: comments.authorId });
  return row ?? null;
}

/**
 * Deletes every comment matching `where` and returns them. The rows are locked in id order
 * first, so two cascades over overlapping comments (a post's and its commenter's erasure) wait
 * for each other instead of deadlocking.
 */
async function deleteCommentsWhere(q: Queryable, where: SQL): Promise<DeletedComment[]> {
  const locked = await q.select({ id: comments.id }).from(comments).where(where).orderBy(asc(comments.id)).for('update');
  if (locked.length === 0) return [];
  return q.delete(comments).where(where).returning({ id: comments.id, postId: comments.postId, authorId: comments.authorId });
}

export const deleteCommentsOfPost = (q: Queryable, postId: string): Promise<DeletedComment[]> => deleteCommentsWhere(q, eq(comments.postId, postId));

export async function commentIdsBy(q: Queryable, authorId: string): Promise<string[]> {
  const rows = await q.select({ id: comments.id }).from(comments).where(eq(comments.authorId, authorId));
  return rows.map((row) => row.id);
}

export const deleteCommentsBy = (q: Queryable, authorId: string): Promise<DeletedComment[]> => deleteCommentsWhere(q, eq(comments.authorId, authorId));

/** Locks the comment's row, which serializes every change of its like count; false when there is no such comment. */
export async function lockCommentForLikes(q: Queryable, id: string): Promise<boolean> {
  const [row] = await q.select({ id: comments.id }).from(comments).where(eq(comments.id, id)).for('update');
  return row !== undefined;
}

/** Locks the comments in id order (see deleteCommentsWhere for why the order). */
export async function lockComments(q: Queryable, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await q.select({ id: comments.id }).from(comments).where(inArray(comments.id, ids)).orderBy(asc(comments.id)).for('update');
}

/** Adds `delta` to the like counts of `ids`, never below zero. */
export async function adjustLikeCounts(q: Queryable, ids: string[], delta: number): Promise<void> {
  if (ids.length === 0) return;
  await q
    .update(comments)
    .set({ likeCount: sql`greatest(${comments.likeCount} + ${delta}, 0)` })
    .where(inArray(comments.id, ids));
}
