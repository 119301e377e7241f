/** The follow graph (a projection of users' user.followed / user.unfollowed) and follower counts. Every function takes the database or an open transaction. */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Queryable } from '@agora/kit/db/database';
import { followerCounts, follows } from './schema.ts';

export interface EdgeState {
  active: boolean;
  changedAt: Date;
}

/**
 * Locks the user's follower count for the rest of the transaction (creating it at zero) and
 * returns it. Fan-out and every change of the user's followers take this lock first, so a post's
 * fan-out and a new or removed follower of its author can't interleave.
 */
export async function lockFollowerCount(q: Queryable, userId: string): Promise<number> {
  await q.insert(followerCounts).values({ userId, followers: 0 }).onConflictDoNothing();
  const [row] = await q.select({ followers: followerCounts.followers }).from(followerCounts).where(eq(followerCounts.userId, userId)).for('update');
  return row?.followers ?? 0;
}

/** Locks the counts of several users that exist, in id order so two transactions can't deadlock. */
export async function lockFollowerCounts(q: Queryable, userIds: string[]): Promise<void> {
  if (userIds.length === 0) return;
  await q.select({ userId: followerCounts.userId }).from(followerCounts).where(inArray(followerCounts.userId, userIds)).orderBy(asc(followerCounts.userId)).for('update');
}

export async function adjustFollowers(q: Queryable, userId: string, delta: number): Promise<void> {
  await q
    .update(followerCounts)
    .set({ followers: sql`greatest(${followerCounts.followers} + ${delta}, 0)` })
    .where(eq(followerCounts.userId, userId));
}

export async function findEdge(q: Queryable, followerId: string, followeeId: string): Promise<EdgeState | null> {
  const [row] = await q
    .select({ active: follows.active, changedAt: follows.changedAt })
    .from(follows)
    .where(and(eq(follows.followerId, followerId), eq(follows.followeeId, followeeId)));
  return row ?? null;
}

export async function writeEdge(q: Queryable, edge: { followerId: string; followeeId: string; active: boolean; changedAt: Date }): Promise<void> {
  await q
    .insert(follows)
    .values(edge)
    .onConflictDoUpdate({ target: [follows.followerId, follows.followeeId], set: { active: edge.active, changedAt: edge.changedAt } });
}

/** Whom the user actively follows. */
export async function followeesOf(q: Queryable, userId: string): Promise<string[]> {
  const rows = await q
    .select({ id: follows.followeeId })
    .from(follows)
    .where(and(eq(follows.followerId, userId), eq(follows.active, true)));
  return rows.map((row) => row.id);
}

/**
 * Removes every edge touching the user (active or not) and the user's own count, taking one
 * follower off each user they followed.
 */
export async function deleteEdgesOf(q: Queryable, userId: string): Promise<void> {
  await q.execute(sql`
    with gone as (delete from ${follows} where follower_id = ${userId}::uuid returning followee_id, active)
    update ${followerCounts} c set followers = greatest(c.followers - 1, 0)
    from gone where c.user_id = gone.followee_id and gone.active`);
  await q.delete(follows).where(eq(follows.followeeId, userId));
  await q.delete(followerCounts).where(eq(followerCounts.userId, userId));
}
