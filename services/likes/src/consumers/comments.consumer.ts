/** Events from comments: what may be liked. Thin: the rules live in domain/project-targets.ts. */
import { CommentCreated, CommentDeleted, type EventData } from '@agora/contracts/events';
import type { EventHandler } from '@agora/kit/service';
import type { LikesContext } from '../domain/context.ts';
import { eraseComment, trackComment } from '../domain/project-targets.ts';

export function commentConsumers(ctx: LikesContext) {
  const handlers: Record<string, EventHandler> = {
    'comment.created': async (event, tx) => {
      await trackComment(tx, event.data as EventData<'comment.created'>);
    },
    'comment.deleted': async (event, tx) => {
      await eraseComment(tx, event.data as EventData<'comment.deleted'>, ctx.clock.now());
    },
  };
  return { handlers, schemas: { 'comment.created': CommentCreated, 'comment.deleted': CommentDeleted } };
}
