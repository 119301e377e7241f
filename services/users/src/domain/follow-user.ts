/**
 * Following and unfollowing. Both are idempotent: the edge's primary key decides whether this
 * call changed anything, and only a change moves the counts (in the same transaction) and is
 * announced. Both profiles are locked first, so an erasure can't interleave with the count update.
 */
import { errors } from '@agora/kit/errors';
import { deleteFollow, insertFollow } from '../db/follows.repository.ts';
import { adjustCounts, lockProfiles } from '../db/profiles.repository.ts';
import type { RequestMeta, UsersContext } from './context.ts';
import { emit } from './events.ts';
import { userNotFound } from './profiles.ts';

async function lockBoth(tx: Parameters<typeof lockProfiles>[0], followerId: string, followeeId: string): Promise<void> {
  if (followerId === followeeId) throw errors.badRequest('USERS.CANNOT_FOLLOW_SELF', 'You cannot follow yourself');
  const found = await lockProfiles(tx, [followerId, followeeId]);
  if (!found.includes(followeeId)) throw userNotFound();
  // The follower's own profile comes from user.registered; right after sign-up it may lag a moment.
  if (!found.includes(followerId)) throw errors.notFound('USERS.PROFILE_NOT_READY', 'Your profile does not exist yet; try again in a moment');
}

export async function followUser(ctx: UsersContext, followerId: string, followeeId: string, meta: RequestMeta): Promise<void> {
  const at = ctx.clock.now();
  await ctx.database.transaction(async (tx) => {
    await lockBoth(tx, followerId, followeeId);
    if (!(await insertFollow(tx, { followerId, followeeId }, at))) return;
    await adjustCounts(tx, followeeId, { followers: 1 });
    await adjustCounts(tx, followerId, { following: 1 });
    await emit(tx, 'user.followed', { followerId, followeeId }, meta);
  });
}

export async function unfollowUser(ctx: UsersContext, followerId: string, followeeId: string, meta: RequestMeta): Promise<void> {
  await ctx.database.transaction(async (tx) => {
    await lockBoth(tx, followerId, followeeId);
    if (!(await deleteFollow(tx, { followerId, followeeId }))) return;
    await adjustCounts(tx, followeeId, { followers: -1 });
    await adjustCounts(tx, followerId, { following: -1 });
    await emit(tx, 'user.unfollowed', { followerId, followeeId }, meta);
  });
}
