/**
 * Comment counts, from comment.created / comment.deleted. The set of comment ids decides the
 * count: a repeated create adds nothing, and a delete leaves a tombstone so a create arriving
 * after it stays deleted. Comments of posts that are gone are ignored.
 */
import type { Tx } from '@agora/kit/db/database';
import { isErased } from '../db/authors.repository.ts';
import { findComment, insertCommentIfNew, insertTombstone, markDeleted } from '../db/comments.repository.ts';
import { lockUsersShared } from '../db/locks.repository.ts';
import { adjustCounts, lockPost } from '../db/posts.repository.ts';

interface CommentRef {
  commentId: string;
  postId: string;
  authorId: string;
}

export async function trackComment(tx: Tx, comment: CommentRef): Promise<void> {
  await lockUsersShared(tx, [comment.authorId]);
  if (!(await lockPost(tx, comment.postId))) return;
  if (await isErased(tx, comment.authorId)) return;
  if (await insertCommentIfNew(tx, comment)) await adjustCounts(tx, comment.postId, { comments: 1 });
}

export async function trackCommentDeletion(tx: Tx, comment: CommentRef): Promise<void> {
  await lockUsersShared(tx, [comment.authorId]);
  if (!(await lockPost(tx, comment.postId))) return;
  if (await isErased(tx, comment.authorId)) return;
  const current = await findComment(tx, comment.commentId);
  if (!current) {
    await insertTombstone(tx, comment);
  } else if (!current.deleted) {
    await markDeleted(tx, comment.commentId);
    await adjustCounts(tx, current.postId, { comments: -1 });
  }
}
