/** Editing a post's text: its author only. */
import { errors } from '@agora/kit/errors';
import { findPostView } from '../db/post-views.repository.ts';
import { lockPost, updatePostText } from '../db/posts.repository.ts';
import type { EventMeta, PostsContext } from './context.ts';
import { emit } from './events.ts';
import { postNotFound, toPost, type Post } from './posts.ts';

/** post.updated goes out only when the text actually changed. */
export async function editPost(ctx: PostsContext, userId: string, postId: string, text: string, meta: EventMeta): Promise<Post> {
  const at = ctx.clock.now();
  const view = await ctx.database.transaction(async (tx) => {
    const post = await lockPost(tx, postId);
    if (!post) throw postNotFound();
    if (post.authorId !== userId) throw errors.forbidden('POSTS.FORBIDDEN', 'Only the author can edit this post');
    if (post.text !== text) {
      await updatePostText(tx, postId, text, at);
      await emit(tx, 'post.updated', { postId, authorId: post.authorId, text, updatedAt: at.toISOString() }, meta);
    }
    return findPostView(tx, postId, userId);
  });
  if (!view) throw postNotFound();
  return toPost(view);
}
