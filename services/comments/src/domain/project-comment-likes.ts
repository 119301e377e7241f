/**
 * Like counts of comments, from the likes service's comment.liked / comment.unliked. The set of
 * (comment, user) pairs is kept with the time of the last change applied to each: a change no
 * newer than that is ignored (events arrive out of order), and the count moves only when the
 * pair's state flips, so duplicates and reorderings can't miscount. Changes for comments that
 * are gone, or by users who are erased, are dropped.
 */
import type { Tx } from '@agora/kit/db/database';
import { lockAuthor } from '../db/authors.repository.ts';
import { findLikeState, insertLikeStateIfNew, updateLikeState } from '../db/comment-likes.repository.ts';
import { adjustLikeCounts, lockCommentForLikes } from '../db/comments.repository.ts';

export type LikeOutcome = 'applied' | 'unchanged' | 'stale' | 'ignored';

export async function applyLikeChange(tx: Tx, change: { commentId: string; userId: string; liked: boolean; at: Date }): Promise<LikeOutcome> {
  // Lock order as everywhere: the user, then the comment (whose row guards its pairs and count).
  if ((await lockAuthor(tx, change.userId)).erasedAt !== null) return 'ignored';
  if (!(await lockCommentForLikes(tx, change.commentId))) return 'ignored';
  if (await insertLikeStateIfNew(tx, change)) {
    if (!change.liked) return 'unchanged';
    await adjustLikeCounts(tx, [change.commentId], 1);
    return 'applied';
  }
  const current = (await findLikeState(tx, change.commentId, change.userId))!;
  if (current.at.getTime() >= change.at.getTime()) return 'stale';
  await updateLikeState(tx, change);
  if (current.liked === change.liked) return 'unchanged';
  await adjustLikeCounts(tx, [change.commentId], change.liked ? 1 : -1);
  return 'applied';
}
