/**
 * Posts as the posts service announces them: where one may comment, and whose post it is. A
 * deleted post stays as a tombstone, so a late post.created doesn't revive it, and its comments
 * go, each announced with comment.deleted so what hangs on them (likes, counts) goes too.
 */
import type { Tx } from '@agora/kit/db/database';
import { deleteCommentsOfPost } from '../db/comments.repository.ts';
import { recordPost, recordPostDeleted } from '../db/posts.repository.ts';
import { announceDeletions } from './comments.ts';
import type { EventMeta } from './context.ts';

export async function trackPost(tx: Tx, post: { postId: string; authorId: string }): Promise<void> {
  await recordPost(tx, { id: post.postId, authorId: post.authorId });
}

/** Also removes comments written before this event arrived, even ones on a post.created that came late. */
export async function removePost(tx: Tx, post: { postId: string; authorId: string }, at: Date, meta: EventMeta): Promise<number> {
  // Writing the post's row first waits for comments being written on it and stops new ones.
  await recordPostDeleted(tx, { id: post.postId, authorId: post.authorId }, at);
  const deleted = await deleteCommentsOfPost(tx, post.postId);
  await announceDeletions(tx, deleted, at, meta);
  return deleted.length;
}
