/** A post's comments, oldest first, in pages whose opaque cursor is the last comment's (createdAt, id). */
import { isUuid } from '@agora/kit/ids';
import { decodeCursor, pageOf } from '@agora/kit/pagination';
import { listCommentViews, type CommentPosition } from '../db/comments.repository.ts';
import { findPost } from '../db/posts.repository.ts';
import { postNotFound, toComment, type Comment } from './comments.ts';
import type { CommentsContext } from './context.ts';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const positionOf = (comment: { createdAt: Date; id: string }): string => `${comment.createdAt.toISOString()}_${comment.id}`;

/** Only what positionOf writes is a cursor this list gave out. */
function parsePosition(position: string): CommentPosition | undefined {
  const [createdAt, id, ...rest] = position.split('_');
  if (rest.length > 0 || createdAt === undefined || id === undefined || !ISO_INSTANT.test(createdAt) || !isUuid(id)) return undefined;
  const date = new Date(createdAt);
  // The round trip refuses dates that don't exist (Feb 30) and the epoch floor years PostgreSQL can't hold.
  return !Number.isNaN(date.getTime()) && date.getTime() >= 0 && date.toISOString() === createdAt ? { createdAt: date, id } : undefined;
}

export async function listComments(
  ctx: CommentsContext,
  postId: string,
  query: { limit: number; cursor?: string | undefined },
): Promise<{ items: Comment[]; nextCursor: string | null }> {
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, parsePosition);
  const db = ctx.database.db;
  const post = await findPost(db, postId);
  if (!post || post.deletedAt !== null) throw postNotFound();
  const rows = await listCommentViews(db, postId, { limit: query.limit + 1, after });
  const { page, nextCursor } = pageOf(rows, query.limit, positionOf);
  return { items: page.map(toComment), nextCursor };
}
