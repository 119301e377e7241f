/**
 * Posts and comments as their services announce them. Delivery is at least once and unordered:
 * a repeated creation changes nothing, and a deletion that overtakes its creation leaves a
 * tombstone so the late creation stays deleted. A deletion removes the likes on the target (a
 * post's also those on its comments) without events: every service counting them consumes the
 * same post.deleted / comment.deleted.
 */
import type { Tx } from '@agora/kit/db/database';
import { deleteLikesOnComment, deleteLikesOnPost } from '../db/likes.repository.ts';
import {
  markCommentsOfPostDeleted,
  recordComment,
  recordCommentDeleted,
  recordPost,
  recordPostDeleted,
} from '../db/targets.repository.ts';

export async function trackPost(tx: Tx, post: { postId: string; authorId: string }): Promise<void> {
  await recordPost(tx, { id: post.postId, authorId: post.authorId });
}

export async function erasePost(tx: Tx, post: { postId: string; authorId: string }, at: Date): Promise<void> {
  // Tombstone first: the row lock makes likes in flight on the post finish before the delete
  // below, and likes after it find the post deleted. The comments' rows do the same for theirs.
  await recordPostDeleted(tx, { id: post.postId, authorId: post.authorId }, at);
  await markCommentsOfPostDeleted(tx, post.postId, at);
  await deleteLikesOnPost(tx, post.postId);
}

export async function trackComment(tx: Tx, comment: { commentId: string; postId: string; authorId: string }): Promise<void> {
  await recordComment(tx, { id: comment.commentId, postId: comment.postId, authorId: comment.authorId });
}

export async function eraseComment(tx: Tx, comment: { commentId: string; postId: string; authorId: string }, at: Date): Promise<void> {
  await recordCommentDeleted(tx, { id: comment.commentId, postId: comment.postId, authorId: comment.authorId }, at);
  await deleteLikesOnComment(tx, comment.commentId);
}
