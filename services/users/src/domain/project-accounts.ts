/**
 * Profiles follow identity's accounts. Delivery is at least once and unordered: a repeated
 * user.registered changes nothing, and a user.deleted that overtakes its user.registered leaves
 * a tombstone so the late registration creates no profile.
 */
import type { Tx } from '@agora/kit/db/database';
import { deleteEdgesOf, listEdgesOf, type Edge } from '../db/follows.repository.ts';
import { adjustCounts, deleteProfile, insertProfileIfNew, isErased, lockProfiles, recordErased } from '../db/profiles.repository.ts';

export async function createProfile(
  tx: Tx,
  account: { userId: string; username: string; displayName: string; registeredAt: string },
): Promise<boolean> {
  if (await isErased(tx, account.userId)) return false;
  return insertProfileIfNew(tx, { id: account.userId, username: account.username, displayName: account.displayName, createdAt: new Date(account.registeredAt) });
}

/**
 * Removes the profile and every edge touching it, fixing the counts of the users on the other
 * end. No user.unfollowed is published: every consumer of the graph also consumes user.deleted.
 */
export async function eraseUser(tx: Tx, userId: string, at: Date): Promise<void> {
  await recordErased(tx, userId, at);
  // Lock the user and everyone on the other end in one id-ordered step, as follow/unfollow do,
  // so the two can't deadlock. Once the user's row is locked no new edge can touch them; an edge
  // committed between the read and the lock is caught by the delete and its profile locked then.
  const locked = new Set(await lockProfiles(tx, [userId, ...othersOf(userId, await listEdgesOf(tx, userId))]));
  const edges = await deleteEdgesOf(tx, userId);
  const late = othersOf(userId, edges).filter((id) => !locked.has(id));
  if (late.length > 0) await lockProfiles(tx, late);
  for (const edge of edges) {
    if (edge.followerId === userId) await adjustCounts(tx, edge.followeeId, { followers: -1 });
    else await adjustCounts(tx, edge.followerId, { following: -1 });
  }
  await deleteProfile(tx, userId);
}

const othersOf = (userId: string, edges: Edge[]): string[] => [
  ...new Set(edges.map((edge) => (edge.followerId === userId ? edge.followeeId : edge.followerId))),
];
