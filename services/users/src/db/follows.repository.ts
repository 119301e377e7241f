/** The follow graph. Every function takes the database or an open transaction. */
import { and, desc, eq, lt, or } from 'drizzle-orm';
import type { Queryable } from '@agora/kit/db/database';
import { follows } from './schema.ts';

export interface Edge {
  followerId: string;
  followeeId: string;
}

/** True when the edge is new; the primary key makes a concurrent duplicate a no-op. */
export async function insertFollow(q: Queryable, edge: Edge, at: Date): Promise<boolean> {
  const inserted = await q.insert(follows).values({ ...edge, createdAt: at }).onConflictDoNothing().returning({ seq: follows.seq });
  return inserted.length > 0;
}

export async function deleteFollow(q: Queryable, edge: Edge): Promise<boolean> {
  const deleted = await q
    .delete(follows)
    .where(and(eq(follows.followerId, edge.followerId), eq(follows.followeeId, edge.followeeId)))
    .returning({ seq: follows.seq });
  return deleted.length > 0;
}

/** Removes every edge touching `userId` and returns them. */
export async function deleteEdgesOf(q: Queryable, userId: string): Promise<Edge[]> {
  return q
    .delete(follows)
    .where(or(eq(follows.followerId, userId), eq(follows.followeeId, userId)))
    .returning({ followerId: follows.followerId, followeeId: follows.followeeId });
}

export async function listEdgesOf(q: Queryable, userId: string): Promise<Edge[]> {
  return q
    .select({ followerId: follows.followerId, followeeId: follows.followeeId })
    .from(follows)
    .where(or(eq(follows.followerId, userId), eq(follows.followeeId, userId)));
}

/** Newest edge first: `limit` edges of `userId` on `side`, older than `beforeSeq`. */
export async function listEdges(
  q: Queryable,
  options: { userId: string; side: 'followers' | 'following'; limit: number; beforeSeq?: number | undefined },
): Promise<{ otherId: string; seq: number }[]> {
  const own = options.side === 'followers' ? follows.followeeId : follows.followerId;
  const other = options.side === 'followers' ? follows.followerId : follows.followeeId;
  return q
    .select({ otherId: other, seq: follows.seq })
    .from(follows)
    .where(and(eq(own, options.userId), options.beforeSeq === undefined ? undefined : lt(follows.seq, options.beforeSeq)))
    .orderBy(desc(follows.seq))
    .limit(options.limit);
}
