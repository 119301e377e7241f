/**
 * The comment-likes projection: per (comment, user) the last like or unlike applied and its time
 * (fed by comment.liked / comment.unliked). Every function takes the database or an open transaction.
 */
import { and, eq } from 'drizzle-orm';
import type { Queryable } from '@agora/kit/db/database';
import { commentLikes } from './schema.ts';

export interface LikeState {
  commentId: string;
  userId: string;
  liked: boolean;
  at: Date;
}

/** True when the pair had no row and this one was written. */
export async function insertLikeStateIfNew(q: Queryable, state: LikeState): Promise<boolean> {
  const inserted = await q.insert(commentLikes).values(state).onConflictDoNothing().returning({ commentId: commentLikes.commentId });
  return inserted.length > 0;
}

export async function findLikeState(q: Queryable, commentId: string, userId: string): Promise<LikeState | null> {
  const [row] = await q
    .select()
    .from(commentLikes)
    .where(and(eq(commentLikes.commentId, commentId), eq(commentLikes.userId, userId)));
  return row ?? null;
}

export async function updateLikeState(q: Queryable, state: LikeState): Promise<void> {
  await q
    .update(commentLikes)
    .set({ liked: state.liked, at: state.at })
    .where(and(eq(commentLikes.commentId, state.commentId), eq(commentLikes.userId, state.userId)));
}

/** The comments the user has a row on (liked or not). */
export async function commentsWithLikeStateOf(q: Queryable, userId: string): Promise<string[]> {
  const rows = await q.select({ commentId: commentLikes.commentId }).from(commentLikes).where(eq(commentLikes.userId, userId));
  return rows.map((row) => row.commentId);
}

/** Removes every row of the user and returns the comments they liked (whose counts must drop). */
export async function deleteLikeStatesOf(q: Queryable, userId: string): Promise<string[]> {
  const rows = await q.delete(commentLikes).where(eq(commentLikes.userId, userId)).returning({ commentId: commentLikes.commentId, liked: commentLikes.liked });
  return rows.filter((row) => row.liked).map((row) => row.commentId);
}
