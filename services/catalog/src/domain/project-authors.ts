/**
 * Review authors as identity registers them and users describes them. A repeated
 * user.registered changes nothing; profile.updated carries the whole profile and the newest one
 * (by its occurredAt) wins, whatever order they arrive in; nothing is recorded for an erased user.
 */
import type { Tx } from '@agora/kit/db/database';
import { applyProfile, insertAuthorIfNew, isErased } from '../db/authors.repository.ts';
import { lockUserShared } from '../db/locks.repository.ts';

export async function registerAuthor(tx: Tx, account: { userId: string; username: string; displayName: string }): Promise<void> {
  await lockUserShared(tx, account.userId);
  if (await isErased(tx, account.userId)) return;
  await insertAuthorIfNew(tx, { id: account.userId, username: account.username, displayName: account.displayName });
}

export async function updateAuthor(
  tx: Tx,
  profile: { userId: string; username: string; displayName: string; avatarUrl: string | null },
  at: Date,
): Promise<void> {
  await lockUserShared(tx, profile.userId);
  if (await isErased(tx, profile.userId)) return;
  await applyProfile(tx, { id: profile.userId, username: profile.username, displayName: profile.displayName, avatarUrl: profile.avatarUrl }, at);
}
