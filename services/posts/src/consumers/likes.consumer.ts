/** Events from likes: likeCount and likedByMe. Thin: the rules live in domain/project-likes.ts. */
import { PostLiked, PostUnliked, type EventData } from '@agora/contracts/events';
import type { EventHandler } from '@agora/kit/service';
import { applyLikeChange } from '../domain/project-likes.ts';

export function likesConsumers() {
  const handlers: Record<string, EventHandler> = {
    'post.liked': async (event, tx) => {
      const data = event.data as EventData<'post.liked'>;
      await applyLikeChange(tx, { postId: data.postId, userId: data.userId, liked: true, at: new Date(data.at) });
    },
    'post.unliked': async (event, tx) => {
      const data = event.data as EventData<'post.unliked'>;
      await applyLikeChange(tx, { postId: data.postId, userId: data.userId, liked: false, at: new Date(data.at) });
    },
  };
  return { handlers, schemas: { 'post.liked': PostLiked, 'post.unliked': PostUnliked } };
}
