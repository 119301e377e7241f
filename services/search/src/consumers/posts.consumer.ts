/** Events from posts. Thin: the rules live in domain/project-posts.ts. */
import { PostCreated, PostDeleted, PostUpdated, type EventData } from '@agora/contracts/events';
import type { EventHandler } from '@agora/kit/service';
import type { SearchContext } from '../domain/context.ts';
import { createPost, deletePost, updatePost } from '../domain/project-posts.ts';

export function postConsumers(ctx: SearchContext) {
  const handlers: Record<string, EventHandler> = {
    'post.created': async (event, tx) => {
      const data = event.data as EventData<'post.created'>;
      if (!(await createPost(tx, data))) ctx.logger.debug({ postId: data.postId }, 'post.created of an erased author; ignored');
    },
    'post.updated': async (event, tx) => {
      const data = event.data as EventData<'post.updated'>;
      if (!(await updatePost(tx, data))) ctx.logger.debug({ postId: data.postId }, 'post.updated of an erased author; ignored');
    },
    'post.deleted': async (event, tx) => {
      await deletePost(tx, event.data as EventData<'post.deleted'>);
    },
  };
  return { handlers, schemas: { 'post.created': PostCreated, 'post.updated': PostUpdated, 'post.deleted': PostDeleted } };
}
