/**
 * People, as identity and users announce them. user.registered gives the first names,
 * profile.updated the whole current profile (the newest wins), and user.deleted erases the person
 * with every post and product of theirs, for good: it leaves a tombstone, and later events about
 * the person or their content change nothing.
 */
import type { EventData } from '@agora/contracts/events';
import type { Tx } from '@agora/kit/db/database';
import { eraseByAuthor } from '../db/posts.repository.ts';
import { eraseBySeller } from '../db/products.repository.ts';
import { applyProfile, eraseUser as recordErasure, lockOwner, recordRegistration } from '../db/users.repository.ts';

export async function registerUser(tx: Tx, account: EventData<'user.registered'>): Promise<void> {
  await recordRegistration(tx, {
    id: account.userId,
    username: account.username,
    displayName: account.displayName,
    registeredAt: new Date(account.registeredAt),
  });
}

/** `version` is the event's envelope: profile.updated carries no time of its own. */
export async function updateProfile(tx: Tx, profile: EventData<'profile.updated'>, version: { occurredAt: string; eventId: string }): Promise<boolean> {
  return applyProfile(
    tx,
    { id: profile.userId, username: profile.username, displayName: profile.displayName, avatarUrl: profile.avatarUrl },
    { at: new Date(version.occurredAt), eventId: version.eventId },
  );
}

export async function eraseUser(tx: Tx, deletion: EventData<'user.deleted'>): Promise<void> {
  const at = new Date(deletion.deletedAt);
  // Posts and products being added for this user wait for this erasure, then find the tombstone.
  await lockOwner(tx, deletion.userId);
  await recordErasure(tx, deletion.userId, at);
  await eraseByAuthor(tx, deletion.userId, at);
  await eraseBySeller(tx, deletion.userId, at);
}
