/** The users who like a post, newest like first, in pages with an opaque cursor. */
import { decodeCursor, pageOf } from '@agora/kit/pagination';
import { listLikers as selectLikers } from '../db/likes.repository.ts';
import { findPost } from '../db/targets.repository.ts';
import type { LikesContext } from './context.ts';
import { postNotFound } from './errors.ts';

export interface UserSummary {
  id: string;
  username: string;
  displayName: string;
  avatarUrl: string | null;
}

/** Like sequence numbers: plain digits, so any other text is not a cursor this list gave out. */
const parseSeq = (position: string): number | undefined => (/^\d{1,15}$/.test(position) ? Number(position) : undefined);

export async function listLikers(
  ctx: LikesContext,
  postId: string,
  query: { limit: number; cursor?: string | undefined },
): Promise<{ items: UserSummary[]; nextCursor: string | null }> {
  const beforeSeq = query.cursor === undefined ? undefined : decodeCursor(query.cursor, parseSeq);
  const db = ctx.database.db;
  const post = await findPost(db, postId);
  if (!post || post.deletedAt !== null) throw postNotFound();
  const rows = await selectLikers(db, postId, { limit: query.limit + 1, beforeSeq });
  const { page, nextCursor } = pageOf(rows, query.limit, (row) => row.seq);
  return { items: page.map(({ id, username, displayName, avatarUrl }) => ({ id, username, displayName, avatarUrl })), nextCursor };
}
