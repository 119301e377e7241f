/** A user's followers and the users they follow, newest edge first, in pages with an opaque cursor. */
import { decodeCursor, pageOf } from '@agora/kit/pagination';
import { listEdges } from '../db/follows.repository.ts';
import { findProfileById, findProfilesByIds } from '../db/profiles.repository.ts';
import type { UsersContext } from './context.ts';
import { toSummary, userNotFound, type UserSummary } from './profiles.ts';

/** Edge sequence numbers: plain digits, so any other text is not a cursor this list gave out. */
const parseSeq = (position: string): number | undefined => (/^\d{1,15}$/.test(position) ? Number(position) : undefined);

export async function listFollows(
  ctx: UsersContext,
  userId: string,
  side: 'followers' | 'following',
  query: { limit: number; cursor?: string | undefined },
): Promise<{ items: UserSummary[]; nextCursor: string | null }> {
  const beforeSeq = query.cursor === undefined ? undefined : decodeCursor(query.cursor, parseSeq);
  const db = ctx.database.db;
  if (!(await findProfileById(db, userId))) throw userNotFound();
  const edges = await listEdges(db, { userId, side, limit: query.limit + 1, beforeSeq });
  const { page, nextCursor } = pageOf(edges, query.limit, (edge) => edge.seq);
  const profiles = new Map((await findProfilesByIds(db, page.map((edge) => edge.otherId))).map((row) => [row.id, row]));
  // An edge always has both profiles (erasure removes the edges with the profile); skip defensively.
  const items = page.flatMap((edge) => {
    const row = profiles.get(edge.otherId);
    return row ? [toSummary(row)] : [];
  });
  return { items, nextCursor };
}
