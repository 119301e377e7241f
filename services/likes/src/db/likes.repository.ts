/** Likes, one row per (target, user) pair. Every function takes the database or an open transaction. */
import { and, desc, eq, inArray, lt, or, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import type { Queryable } from '@agora/kit/db/database';
import { authors, comments, likes, type TargetKind } from './schema.ts';

export type { TargetKind };

export interface Target {
  kind: TargetKind;
  id: string;
}

/** A change of a pair is always later than the one before, even when the clock says otherwise. */
const laterThan = (previous: AnyColumn, proposed: SQL): SQL => sql`greatest(${proposed}, ${previous} + interval '1 millisecond')`;

/**
 * Records that `userId` likes `target`. Returns the time of the change, or null when the pair was
 * already liked: the primary key decides, so of concurrent duplicates exactly one changes anything
 * (the others wait for it, then find the row liked and leave it alone).
 */
export async function markLiked(q: Queryable, target: Target, userId: string, at: Date): Promise<Date | null> {
  const [row] = await q
    .insert(likes)
    .values({ targetKind: target.kind, targetId: target.id, userId, liked: true, changedAt: at })
    .onConflictDoUpdate({
      target: [likes.targetKind, likes.targetId, likes.userId],
      set: { liked: true, changedAt: laterThan(likes.changedAt, sql`excluded.changed_at`), seq: sql`excluded.seq` },
      setWhere: eq(likes.liked, false),
    })
    .returning({ changedAt: likes.changedAt });
  return row?.changedAt ?? null;
}

/** Records that `userId` no longer likes `target`; null when they didn't. */
export async function markUnliked(q: Queryable, target: Target, userId: string, at: Date): Promise<Date | null> {
  const [row] = await q
    .update(likes)
    .set({ liked: false, changedAt: laterThan(likes.changedAt, sql`${at.toISOString()}::timestamptz`) })
    .where(and(eq(likes.targetKind, target.kind), eq(likes.targetId, target.id), eq(likes.userId, userId), eq(likes.liked, true)))
    .returning({ changedAt: likes.changedAt });
  return row?.changedAt ?? null;
}

/** Written as literals, not parameters, so the planner matches the partial index likes_likers. */
const likersOfPost = sql`${likes.targetKind} = 'post' and ${likes.liked}`;

export interface Liker {
  id: string;
  username: string;
  displayName: string;
  avatarUrl: string | null;
  seq: number;
}

/**
 * Newest like first: `limit` likers of the post, liked before position `beforeSeq`. A liker whose
 * name hasn't arrived yet (user.registered still on its way) is left out until it does.
 */
export async function listLikers(q: Queryable, postId: string, options: { limit: number; beforeSeq?: number | undefined }): Promise<Liker[]> {
  return q
    .select({ id: authors.id, username: authors.username, displayName: authors.displayName, avatarUrl: authors.avatarUrl, seq: likes.seq })
    .from(likes)
    .innerJoin(authors, eq(authors.id, likes.userId))
    .where(and(likersOfPost, eq(likes.targetId, postId), options.beforeSeq === undefined ? undefined : lt(likes.seq, options.beforeSeq)))
    .orderBy(desc(likes.seq))
    .limit(options.limit);
}

/** The likes on a post and on its comments. */
export async function deleteLikesOnPost(q: Queryable, postId: string): Promise<void> {
  const commentsOfPost = q.select({ id: comments.id }).from(comments).where(eq(comments.postId, postId));
  await q
    .delete(likes)
    .where(
      or(
        and(eq(likes.targetKind, 'post'), eq(likes.targetId, postId)),
        and(eq(likes.targetKind, 'comment'), inArray(likes.targetId, commentsOfPost)),
      ),
    );
}

export async function deleteLikesOnComment(q: Queryable, commentId: string): Promise<void> {
  await q.delete(likes).where(and(eq(likes.targetKind, 'comment'), eq(likes.targetId, commentId)));
}

export interface RemovedLike {
  kind: TargetKind;
  targetId: string;
  liked: boolean;
  changedAt: Date;
}

/** Every pair of the user, liked or not; returns them. */
export async function deleteLikesBy(q: Queryable, userId: string): Promise<RemovedLike[]> {
  return q
    .delete(likes)
    .where(eq(likes.userId, userId))
    .returning({ kind: likes.targetKind, targetId: likes.targetId, liked: likes.liked, changedAt: likes.changedAt });
}
