/**
 * Liking and unliking posts and comments. All four are idempotent: the pair's row decides whether
 * this call changed anything, and only a change is announced, in the same transaction, with `at`
 * the time of the change. The target is locked (shared) for the transaction, so its deletion
 * waits for likes in flight and then removes them; the liker is held the same way against their
 * erasure.
 */
import type { Tx } from '@agora/kit/db/database';
import { holdUserShared } from '../db/authors.repository.ts';
import { markLiked, markUnliked } from '../db/likes.repository.ts';
import { lockCommentForLike, lockPostForLike } from '../db/targets.repository.ts';
import type { EventMeta, LikesContext } from './context.ts';
import { commentNotFound, postNotFound } from './errors.ts';
import { emit } from './events.ts';

type Change = 'like' | 'unlike';

const mark = (change: Change) => (change === 'like' ? markLiked : markUnliked);

export async function changePostLike(ctx: LikesContext, userId: string, postId: string, change: Change, meta: EventMeta): Promise<void> {
  const now = ctx.clock.now();
  await ctx.database.transaction(async (tx: Tx) => {
    await holdUserShared(tx, userId);
    const post = await lockPostForLike(tx, postId, userId);
    if (!post || post.deletedAt !== null) throw postNotFound();
    // An erased user's token can outlive the account by a moment; their likes are gone for good.
    if (post.likerErased) return;
    const at = await mark(change)(tx, { kind: 'post', id: postId }, userId, now);
    if (!at) return;
    const data = { postId, postAuthorId: post.authorId, userId, at: at.toISOString() };
    await emit(tx, change === 'like' ? 'post.liked' : 'post.unliked', data, meta);
  });
}

export async function changeCommentLike(ctx: LikesContext, userId: string, commentId: string, change: Change, meta: EventMeta): Promise<void> {
  const now = ctx.clock.now();
  await ctx.database.transaction(async (tx: Tx) => {
    await holdUserShared(tx, userId);
    const comment = await lockCommentForLike(tx, commentId, userId);
    if (!comment || comment.deletedAt !== null) throw commentNotFound();
    if (comment.likerErased) return;
    const at = await mark(change)(tx, { kind: 'comment', id: commentId }, userId, now);
    if (!at) return;
    const data = { commentId, commentAuthorId: comment.authorId, postId: comment.postId, userId, at: at.toISOString() };
    await emit(tx, change === 'like' ? 'comment.liked' : 'comment.unliked', data, meta);
  });
}
