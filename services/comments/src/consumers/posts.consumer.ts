/** Events from posts: which posts exist and whose they are. Thin: the rules live in domain/project-posts.ts. */
import { PostCreated, PostDeleted, type EventData } from '@agora/contracts/events';
import type { EventHandler } from '@agora/kit/service';
import type { CommentsContext } from '../domain/context.ts';
import { removePost, trackPost } from '../domain/project-posts.ts';

export function postsConsumers(ctx: CommentsContext) {
  const handlers: Record<string, EventHandler> = {
    'post.created': async (event, tx) => {
      await trackPost(tx, event.data as EventData<'post.created'>);
    },
    'post.deleted': async (event, tx) => {
      const data = event.data as EventData<'post.deleted'>;
      const removed = await removePost(tx, data, ctx.clock.now(), { correlationId: event.correlationId, causationId: event.id });
      ctx.logger.debug({ postId: data.postId, removed }, 'post deleted with its comments');
    },
  };
  return { handlers, schemas: { 'post.created': PostCreated, 'post.deleted': PostDeleted } };
}
