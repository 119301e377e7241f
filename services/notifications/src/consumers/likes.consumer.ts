/** Events from likes: likes given and taken back, ordered per (post or comment, user) by their `at`. Thin: the rules live in domain/track-activity.ts. */
import { CommentLiked, CommentUnliked, PostLiked, PostUnliked, type EventData } from '@agora/contracts/events';
import type { NotificationsContext } from '../domain/context.ts';
import { recordCommentLike, recordCommentUnlike, recordPostLike, recordPostUnlike } from '../domain/track-activity.ts';
import type { Consumers } from './index.ts';

export function likesConsumers(ctx: NotificationsContext): Consumers {
  return {
    handlers: {
      'post.liked': async (event, tx) => {
        const data = event.data as EventData<'post.liked'>;
        await recordPostLike(ctx, tx, data, { eventId: event.id, at: new Date(data.at) });
      },
      'post.unliked': async (event, tx) => {
        const data = event.data as EventData<'post.unliked'>;
        await recordPostUnlike(tx, data, { eventId: event.id, at: new Date(data.at) });
      },
      'comment.liked': async (event, tx) => {
        const data = event.data as EventData<'comment.liked'>;
        await recordCommentLike(ctx, tx, data, { eventId: event.id, at: new Date(data.at) });
      },
      'comment.unliked': async (event, tx) => {
        const data = event.data as EventData<'comment.unliked'>;
        await recordCommentUnlike(tx, data, { eventId: event.id, at: new Date(data.at) });
      },
    },
    schemas: { 'post.liked': PostLiked, 'post.unliked': PostUnliked, 'comment.liked': CommentLiked, 'comment.unliked': CommentUnliked },
  };
}
