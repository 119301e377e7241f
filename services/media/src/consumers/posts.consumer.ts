/** Events from posts: a deleted post takes its media. Thin: the rules live in domain/delete-media.ts. */
import { PostDeleted, type EventData } from '@agora/contracts/events';
import type { EventHandler } from '@agora/kit/service';
import type { MediaContext } from '../domain/context.ts';
import { deletePostMedia } from '../domain/delete-media.ts';

export function postsConsumers(ctx: MediaContext) {
  const handlers: Record<string, EventHandler> = {
    'post.deleted': async (event, tx) => {
      const data = event.data as EventData<'post.deleted'>;
      await deletePostMedia(tx, data, ctx.clock.now(), { correlationId: event.correlationId, causationId: event.id });
    },
  };
  return { handlers, schemas: { 'post.deleted': PostDeleted } };
}
