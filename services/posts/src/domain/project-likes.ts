/**
 * Likes on posts, from post.liked / post.unliked. The set of (post, user) pairs decides the
 * count: a change applies only when its `at` is newer than the last one applied for the pair,
 * and the count moves only when the pair's state changed, so duplicates, reordering and an
 * unlike published by the likes service's own erasure can't miscount. Likes of posts that are
 * gone (or never existed) are ignored: every like here follows its post's creation.
 */
import type { Tx } from '@agora/kit/db/database';
import { isErased } from '../db/authors.repository.ts';
import { findLike, writeLike } from '../db/likes.repository.ts';
import { lockUsersShared } from '../db/locks.repository.ts';
import { adjustCounts, lockPost } from '../db/posts.repository.ts';

export async function applyLikeChange(tx: Tx, change: { postId: string; userId: string; liked: boolean; at: Date }): Promise<void> {
  const { postId, userId, liked, at } = change;
  await lockUsersShared(tx, [userId]);
  // The post's lock serializes every change of its likes.
  if (!(await lockPost(tx, postId))) return;
  if (await isErased(tx, userId)) return;
  const current = await findLike(tx, postId, userId);
  if (current && current.changedAt.getTime() >= at.getTime()) return;
  await writeLike(tx, { postId, userId, liked, changedAt: at });
  if ((current?.liked ?? false) !== liked) await adjustCounts(tx, postId, { likes: liked ? 1 : -1 });
}
