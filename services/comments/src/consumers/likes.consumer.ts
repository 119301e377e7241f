/** Events from likes: comment likes given and taken back. Thin: the rules live in domain/project-comment-likes.ts. */
import { CommentLiked, CommentUnliked, type EventData } from '@agora/contracts/events';
import type { EventHandler } from '@agora/kit/service';
import type { CommentsContext } from '../domain/context.ts';
import { applyLikeChange } from '../domain/project-comment-likes.ts';

export function likesConsumers(ctx: CommentsContext) {
  const handle =
    (liked: boolean): EventHandler =>
    async (event, tx) => {
      const data = event.data as EventData<'comment.liked'>;
      const outcome = await applyLikeChange(tx, { commentId: data.commentId, userId: data.userId, liked, at: new Date(data.at) });
      if (outcome !== 'applied') ctx.logger.debug({ eventId: event.id, type: event.type, outcome }, 'comment like change not counted');
    };
  const handlers: Record<string, EventHandler> = { 'comment.liked': handle(true), 'comment.unliked': handle(false) };
  return { handlers, schemas: { 'comment.liked': CommentLiked, 'comment.unliked': CommentUnliked } };
}
