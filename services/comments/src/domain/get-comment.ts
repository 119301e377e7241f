/** Reading one comment. */
import { findCommentView } from '../db/comments.repository.ts';
import { commentNotFound, toComment, type Comment } from './comments.ts';
import type { CommentsContext } from './context.ts';

export async function getComment(ctx: CommentsContext, id: string): Promise<Comment> {
  const row = await findCommentView(ctx.database.db, id);
  if (!row) throw commentNotFound();
  return toComment(row);
}
