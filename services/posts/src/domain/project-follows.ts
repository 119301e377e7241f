/**
 * The follow graph and the home feeds that depend on it. user.followed / user.unfollowed carry no
 * time of their own, so the envelope's occurredAt orders the changes of one pair: a change older
 * than the one applied last is ignored (an unfollow overtaken by its follow stays an unfollow).
 * Only a change of state moves the follower count and the feed: a new follower gets the
 * followee's most recent posts; a lost one loses all of them.
 */
import type { Tx } from '@agora/kit/db/database';
import { isErased } from '../db/authors.repository.ts';
import { backfill, removeAuthorFromFeed } from '../db/feed.repository.ts';
import { adjustFollowers, findEdge, lockFollowerCount, writeEdge } from '../db/follows.repository.ts';
import { lockUsersShared } from '../db/locks.repository.ts';

/** How many of a followee's most recent posts a new follower's feed receives. */
export const BACKFILL_POSTS = 20;

export async function applyFollowChange(tx: Tx, change: { followerId: string; followeeId: string; active: boolean; at: Date }): Promise<void> {
  const { followerId, followeeId, active, at } = change;
  if (followerId === followeeId) return;
  await lockUsersShared(tx, [followerId, followeeId]);
  if ((await isErased(tx, followerId)) || (await isErased(tx, followeeId))) return;
  // Serializes with the fan-out of the followee's posts (fan-out-post.ts).
  await lockFollowerCount(tx, followeeId);
  const current = await findEdge(tx, followerId, followeeId);
  // Equal times: the later arrival wins, the best guess when users changed the edge twice in a millisecond.
  if (current && current.changedAt.getTime() > at.getTime()) return;
  await writeEdge(tx, { followerId, followeeId, active, changedAt: at });
  if ((current?.active ?? false) === active) return;
  if (active) {
    await adjustFollowers(tx, followeeId, 1);
    await backfill(tx, followerId, followeeId, BACKFILL_POSTS);
  } else {
    await adjustFollowers(tx, followeeId, -1);
    await removeAuthorFromFeed(tx, followerId, followeeId);
  }
}
