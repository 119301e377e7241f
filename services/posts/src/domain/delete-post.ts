/**
 * Deleting a post: its author or an admin. Its feed entries, like and comment rows go in the same
 * transaction (on delete cascade); post.deleted tells comments, likes, media and search to drop theirs.
 */
import type { Role } from '@agora/kit/auth/access-token';
import { errors } from '@agora/kit/errors';
import { deletePost as removePost, lockPost } from '../db/posts.repository.ts';
import type { EventMeta, PostsContext } from './context.ts';
import { emit } from './events.ts';
import { postNotFound } from './posts.ts';

export async function deletePost(ctx: PostsContext, caller: { userId: string; roles: Role[] }, postId: string, meta: EventMeta): Promise<void> {
  const at = ctx.clock.now();
  await ctx.database.transaction(async (tx) => {
    const post = await lockPost(tx, postId);
    if (!post) throw postNotFound();
    if (post.authorId !== caller.userId && !caller.roles.includes('admin')) throw errors.forbidden('POSTS.FORBIDDEN', 'Only the author or an admin can delete this post');
    await removePost(tx, postId);
    await emit(tx, 'post.deleted', { postId, authorId: post.authorId, mediaIds: post.mediaIds, deletedAt: at.toISOString() }, meta);
  });
}
