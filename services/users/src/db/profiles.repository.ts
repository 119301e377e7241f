/** Profiles and erased-user tombstones. Every function takes the database or an open transaction. */
import { asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Queryable } from '@agora/kit/db/database';
import { erasedUsers, media, profiles, type ProfileRow } from './schema.ts';

/** A profile with its avatar's URL resolved from the media projection. */
export type ProfileView = ProfileRow & { avatarUrl: string | null };

const avatarUrl = sql<string | null>`case when ${media.deletedAt} is null then coalesce(${media.thumbnailUrl}, ${media.url}) end`;

function selectProfiles(q: Queryable) {
  return q
    .select({
      id: profiles.id,
      username: profiles.username,
      displayName: profiles.displayName,
      bio: profiles.bio,
      avatarMediaId: profiles.avatarMediaId,
      followersCount: profiles.followersCount,
      followingCount: profiles.followingCount,
      createdAt: profiles.createdAt,
      updatedAt: profiles.updatedAt,
      avatarUrl,
    })
    .from(profiles)
    .leftJoin(media, eq(media.id, profiles.avatarMediaId));
}

export async function findProfileById(q: Queryable, id: string): Promise<ProfileView | null> {
  const [row] = await selectProfiles(q).where(eq(profiles.id, id));
  return row ?? null;
}

/** The newest holder of a username (see the migration on why usernames may briefly repeat). */
export async function findProfileByUsername(q: Queryable, username: string): Promise<ProfileView | null> {
  const [row] = await selectProfiles(q).where(eq(profiles.username, username)).orderBy(desc(profiles.createdAt)).limit(1);
  return row ?? null;
}

export async function findProfilesByIds(q: Queryable, ids: string[]): Promise<ProfileView[]> {
  if (ids.length === 0) return [];
  return selectProfiles(q).where(inArray(profiles.id, ids));
}

/** Locks the rows for the rest of the transaction, always in id order so two transactions can't deadlock. */
export async function lockProfiles(q: Queryable, ids: string[]): Promise<string[]> {
  const rows = await q.select({ id: profiles.id }).from(profiles).where(inArray(profiles.id, ids)).orderBy(asc(profiles.id)).for('update');
  return rows.map((row) => row.id);
}

export async function insertProfileIfNew(
  q: Queryable,
  profile: { id: string; username: string; displayName: string; createdAt: Date },
): Promise<boolean> {
  const inserted = await q
    .insert(profiles)
    .values({ ...profile, bio: '', followersCount: 0, followingCount: 0, updatedAt: profile.createdAt })
    .onConflictDoNothing()
    .returning({ id: profiles.id });
  return inserted.length > 0;
}

export async function updateProfile(
  q: Queryable,
  id: string,
  changes: { displayName?: string; bio?: string; avatarMediaId?: string | null },
  at: Date,
): Promise<void> {
  await q.update(profiles).set({ ...changes, updatedAt: at }).where(eq(profiles.id, id));
}

export async function deleteProfile(q: Queryable, id: string): Promise<boolean> {
  const deleted = await q.delete(profiles).where(eq(profiles.id, id)).returning({ id: profiles.id });
  return deleted.length > 0;
}

/** Adds `delta` to a count, never below zero. */
export async function adjustCounts(q: Queryable, id: string, delta: { followers?: number; following?: number }): Promise<void> {
  const followers = delta.followers ?? 0;
  const following = delta.following ?? 0;
  await q
    .update(profiles)
    .set({
      followersCount: sql`greatest(${profiles.followersCount} + ${followers}, 0)`,
      followingCount: sql`greatest(${profiles.followingCount} + ${following}, 0)`,
    })
    .where(eq(profiles.id, id));
}

/** The profiles using `mediaId` as avatar lose it; returns their ids. */
export async function clearAvatar(q: Queryable, mediaId: string, at: Date): Promise<string[]> {
  const rows = await q
    .update(profiles)
    .set({ avatarMediaId: null, updatedAt: at })
    .where(eq(profiles.avatarMediaId, mediaId))
    .returning({ id: profiles.id });
  return rows.map((row) => row.id);
}

export async function isErased(q: Queryable, userId: string): Promise<boolean> {
  const [row] = await q.select({ userId: erasedUsers.userId }).from(erasedUsers).where(eq(erasedUsers.userId, userId));
  return row !== undefined;
}

export async function recordErased(q: Queryable, userId: string, at: Date): Promise<void> {
  await q.insert(erasedUsers).values({ userId, erasedAt: at }).onConflictDoNothing();
}
