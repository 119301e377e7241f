/** This service's own post.created: fan-out to followers' feeds, out of the request's path. Thin: the rules live in domain/fan-out-post.ts. */
import { PostCreated, type EventData } from '@agora/contracts/events';
import type { EventHandler } from '@agora/kit/service';
import type { PostsContext } from '../domain/context.ts';
import { fanOutPost } from '../domain/fan-out-post.ts';

export function postsConsumers(ctx: PostsContext) {
  const handlers: Record<string, EventHandler> = {
    'post.created': async (event, tx) => {
      const data = event.data as EventData<'post.created'>;
      const outcome = await fanOutPost(tx, data.postId, ctx.config.FEED_FANOUT_LIMIT);
      ctx.logger.debug({ postId: data.postId, outcome }, 'post.created fan-out');
    },
  };
  return { handlers, schemas: { 'post.created': PostCreated } };
}
