/** Editing a comment's text: its author only. No event: nothing outside this service keeps comment text. */
import { findCommentView, lockComment, updateCommentText } from '../db/comments.repository.ts';
import { commentNotFound, forbidden, toComment, type Comment } from './comments.ts';
import type { CommentsContext } from './context.ts';

export async function editComment(ctx: CommentsContext, userId: string, commentId: string, text: string): Promise<Comment> {
  const at = ctx.clock.now();
  const row = await ctx.database.transaction(async (tx) => {
    const comment = await lockComment(tx, commentId);
    if (!comment) throw commentNotFound();
    if (comment.authorId !== userId) throw forbidden('Only its author can edit a comment');
    await updateCommentText(tx, commentId, text, at);
    return (await findCommentView(tx, commentId))!;
  });
  return toComment(row);
}
