/** Deleting a comment: its author, the post's author or an admin (API.md). Announced so likes and counts follow. */
import { deleteComment as removeComment, lockComment } from '../db/comments.repository.ts';
import { announceDeletions, commentNotFound, forbidden, type Actor } from './comments.ts';
import type { CommentsContext, RequestMeta } from './context.ts';

export async function deleteComment(ctx: CommentsContext, actor: Actor, commentId: string, meta: RequestMeta): Promise<void> {
  const at = ctx.clock.now();
  await ctx.database.transaction(async (tx) => {
    const comment = await lockComment(tx, commentId);
    if (!comment) throw commentNotFound();
    const allowed = comment.authorId === actor.userId || comment.postAuthorId === actor.userId || actor.roles.includes('admin');
    if (!allowed) throw forbidden('Only the comment’s author, the post’s author or an admin can delete a comment');
    const deleted = await removeComment(tx, commentId);
    if (deleted) await announceDeletions(tx, [deleted], at, meta);
  });
}
