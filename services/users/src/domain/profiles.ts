/** How profiles look from outside, and the errors several use cases share. */
import type { Tx } from '@agora/kit/db/database';
import { errors } from '@agora/kit/errors';
import { findProfileById, type ProfileView } from '../db/profiles.repository.ts';
import { emit } from './events.ts';

export interface Profile {
  id: string;
  username: string;
  displayName: string;
  bio: string;
  avatarUrl: string | null;
  followersCount: number;
  followingCount: number;
  createdAt: string;
}

export interface UserSummary {
  id: string;
  username: string;
  displayName: string;
  avatarUrl: string | null;
}

export const toProfile = (row: ProfileView): Profile => ({
  id: row.id,
  username: row.username,
  displayName: row.displayName,
  bio: row.bio,
  avatarUrl: row.avatarUrl,
  followersCount: row.followersCount,
  followingCount: row.followingCount,
  createdAt: row.createdAt.toISOString(),
});

export const toSummary = (row: ProfileView): UserSummary => ({ id: row.id, username: row.username, displayName: row.displayName, avatarUrl: row.avatarUrl });

export const userNotFound = () => errors.notFound('USERS.NOT_FOUND', 'No such user');

/** Publishes the profile as it now stands in `tx`. */
export async function announceProfile(tx: Tx, userId: string, meta: { correlationId?: string | undefined; causationId?: string | undefined }): Promise<ProfileView> {
  const row = await findProfileById(tx, userId);
  if (!row) throw userNotFound();
  await emit(tx, 'profile.updated', { userId: row.id, username: row.username, displayName: row.displayName, bio: row.bio, avatarUrl: row.avatarUrl }, meta);
  return row;
}
