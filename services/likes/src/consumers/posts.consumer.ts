/** Events from posts: what may be liked. Thin: the rules live in domain/project-targets.ts. */
import { PostCreated, PostDeleted, type EventData } from '@agora/contracts/events';
import type { EventHandler } from '@agora/kit/service';
import type { LikesContext } from '../domain/context.ts';
import { erasePost, trackPost } from '../domain/project-targets.ts';

export function postConsumers(ctx: LikesContext) {
  const handlers: Record<string, EventHandler> = {
    'post.created': async (event, tx) => {
      await trackPost(tx, event.data as EventData<'post.created'>);
    },
    'post.deleted': async (event, tx) => {
      await erasePost(tx, event.data as EventData<'post.deleted'>, ctx.clock.now());
    },
  };
  return { handlers, schemas: { 'post.created': PostCreated, 'post.deleted': PostDeleted } };
}
