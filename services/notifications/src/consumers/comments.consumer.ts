/** Events from comments: a comment on someone's post notifies its author; its deletion takes that back. Thin: the rules live in domain/track-activity.ts. */
import { CommentCreated, CommentDeleted, type EventData } from '@agora/contracts/events';
import type { NotificationsContext } from '../domain/context.ts';
import { recordComment, recordCommentDeletion } from '../domain/track-activity.ts';
import type { Consumers } from './index.ts';

export function commentsConsumers(ctx: NotificationsContext): Consumers {
  return {
    handlers: {
      'comment.created': async (event, tx) => {
        const data = event.data as EventData<'comment.created'>;
        await recordComment(ctx, tx, data, { eventId: event.id, at: new Date(data.createdAt) });
      },
      'comment.deleted': async (event, tx) => {
        const data = event.data as EventData<'comment.deleted'>;
        await recordCommentDeletion(tx, data, { eventId: event.id, at: new Date(data.deletedAt) });
      },
    },
    schemas: { 'comment.created': CommentCreated, 'comment.deleted': CommentDeleted },
  };
}
