/** A user's followers and the users they follow, newest edge first, in pages with an opaque cursor. */
import { errors } from '@agora/kit/errors';
import { listEdges } from '../db/follows.repository.ts';
import { findProfileById, findProfilesByIds } from '../db/profiles.repository.ts';
import type { UsersContext } from './context.ts';
import { toSummary, userNotFound, type UserSummary } from './profiles.ts';

const encodeCursor = (seq: number): string => Buffer.from(`f:${seq}`, 'utf8').toString('base64url');

function decodeCursor(cursor: string): number {
  const match = /^f:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) {
    throw errors.badRequest('VALIDATION.FAILED', 'The request is invalid', { errors: [{ path: 'querystring/cursor', message: 'is not a cursor this list gave out' }] });
  }
  return Number(match[1]);
}

export async function listFollows(
  ctx: UsersContext,
  userId: string,
  side: 'followers' | 'following',
  query: { limit: number; cursor?: string | undefined },
): Promise<{ items: UserSummary[]; nextCursor: string | null }> {
  const beforeSeq = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  const db = ctx.database.db;
  if (!(await findProfileById(db, userId))) throw userNotFound();
  const edges = await listEdges(db, { userId, side, limit: query.limit + 1, beforeSeq });
  const page = edges.slice(0, query.limit);
  const profiles = new Map((await findProfilesByIds(db, page.map((edge) => edge.otherId))).map((row) => [row.id, row]));
  // An edge always has both profiles (erasure removes the edges with the profile); skip defensively.
  const items = page.flatMap((edge) => {
    const row = profiles.get(edge.otherId);
    return row ? [toSummary(row)] : [];
  });
  const last = page.at(-1);
  return { items, nextCursor: edges.length > query.limit && last ? encodeCursor(last.seq) : null };
}
