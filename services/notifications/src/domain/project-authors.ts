/**
 * Actor summaries follow identity's accounts and users' profiles: user.registered creates one if
 * absent, profile.updated carries the whole profile and the latest (by when it occurred) wins,
 * user.deleted erases the user's inbox and everything they caused, and leaves a tombstone so
 * late events about them change nothing.
 */
import type { Tx } from '@agora/kit/db/database';
import { deleteActivityOf } from '../db/activity.repository.ts';
import { deleteAuthor, insertAuthorIfNew, recordErased, writeProfile } from '../db/authors.repository.ts';
import { deleteNotificationsOf } from '../db/notifications.repository.ts';
import { lockUsers } from '../db/user-locks.repository.ts';
import { involvesErased } from './notify.ts';

export async function registerAuthor(tx: Tx, account: { userId: string; username: string; displayName: string }): Promise<void> {
  if (await involvesErased(tx, [account.userId])) return;
  await insertAuthorIfNew(tx, { userId: account.userId, username: account.username, displayName: account.displayName, avatarUrl: null });
}

export async function updateAuthor(
  tx: Tx,
  profile: { userId: string; username: string; displayName: string; avatarUrl: string | null },
  at: Date,
): Promise<void> {
  if (await involvesErased(tx, [profile.userId])) return;
  await writeProfile(tx, { userId: profile.userId, username: profile.username, displayName: profile.displayName, avatarUrl: profile.avatarUrl }, at);
}

export async function eraseUser(tx: Tx, userId: string, at: Date): Promise<void> {
  await lockUsers(tx, [userId], 'exclusive');
  await recordErased(tx, userId, at);
  await deleteNotificationsOf(tx, userId);
  await deleteActivityOf(tx, userId);
  await deleteAuthor(tx, userId);
}
