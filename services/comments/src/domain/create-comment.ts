/**
 * Commenting on a post. The post must be known from post.created and not deleted; the post's
 * row and the author's row are share-locked while the comment is written, so a concurrent
 * post.deleted or user.deleted either sees the new comment and removes it, or is seen here first.
 */
import { newId } from '@agora/kit/ids';
import { lockAuthor } from '../db/authors.repository.ts';
import { insertComment } from '../db/comments.repository.ts';
import { lockPost } from '../db/posts.repository.ts';
import { forbidden, postNotFound, toComment, type Comment } from './comments.ts';
import type { CommentsContext, RequestMeta } from './context.ts';
import { emit } from './events.ts';

export async function createComment(ctx: CommentsContext, authorId: string, postId: string, text: string, meta: RequestMeta): Promise<Comment> {
  const at = ctx.clock.now();
  const row = await ctx.database.transaction(async (tx) => {
    const author = await lockAuthor(tx, authorId);
    // A token outlives its account by a few minutes at most; the erasure has already run here.
    if (author.erasedAt !== null) throw forbidden('This account has been deleted');
    const post = await lockPost(tx, postId);
    if (!post || post.deletedAt !== null) throw postNotFound();
    const id = newId();
    await insertComment(tx, { id, postId, authorId, text, createdAt: at, updatedAt: at });
    await emit(tx, 'comment.created', { commentId: id, postId, postAuthorId: post.authorId, authorId, text, createdAt: at.toISOString() }, meta);
    return { id, postId, authorId, text, likeCount: 0, createdAt: at, updatedAt: at, username: author.username, displayName: author.displayName, avatarUrl: author.avatarUrl };
  });
  return toComment(row);
}
