/** Uploads and erased-user tombstones. Every function takes the database or an open transaction. */
import { and, asc, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Queryable } from '@agora/kit/db/database';
import { erasedUsers, media, type MediaRow, type NewMediaRow } from './schema.ts';

export type { MediaRow, NewMediaRow };

export async function insertMedia(q: Queryable, row: NewMediaRow): Promise<void> {
  await q.insert(media).values(row);
}

export async function findMedia(q: Queryable, id: string): Promise<MediaRow | null> {
  const [row] = await q.select().from(media).where(eq(media.id, id));
  return row ?? null;
}

export interface DeletedMedia {
  id: string;
  ownerId: string;
}

/**
 * Marks live uploads deleted and returns exactly those this call changed: two deletions racing
 * for the same upload (its owner and a post.deleted, say) can't both announce it.
 */
export async function markDeleted(q: Queryable, filter: { ids?: string[]; ownerId?: string }, at: Date): Promise<DeletedMedia[]> {
  if (filter.ids !== undefined && filter.ids.length === 0) return [];
  return q
    .update(media)
    .set({ deletedAt: at })
    .where(
      and(
        isNull(media.deletedAt),
        filter.ids === undefined ? undefined : inArray(media.id, filter.ids),
        filter.ownerId === undefined ? undefined : eq(media.ownerId, filter.ownerId),
      ),
    )
    .returning({ id: media.id, ownerId: media.ownerId });
}

export interface PurgeCandidate {
  id: string;
  imageKey: string;
  thumbnailKey: string;
}

/** Deleted uploads whose bytes are still stored, oldest deletion first. */
export async function listAwaitingPurge(q: Queryable, limit: number, ids?: string[]): Promise<PurgeCandidate[]> {
  if (ids !== undefined && ids.length === 0) return [];
  return q
    .select({ id: media.id, imageKey: media.imageKey, thumbnailKey: media.thumbnailKey })
    .from(media)
    .where(and(isNotNull(media.deletedAt), isNull(media.purgedAt), ids === undefined ? undefined : inArray(media.id, ids)))
    .orderBy(asc(media.deletedAt))
    .limit(limit);
}

export async function markPurged(q: Queryable, ids: string[], at: Date): Promise<void> {
  if (ids.length === 0) return;
  await q.update(media).set({ purgedAt: at }).where(and(inArray(media.id, ids), isNotNull(media.deletedAt)));
}

/** The first key of the two-key advisory lock: keeps these locks apart from other users of advisory locks. */
const OWNER_LOCK_CLASS = 0x6d656469; // "medi"

/**
 * Serializes an owner's uploads with their erasure for the rest of the transaction, so an upload
 * can't commit unseen beside a user.deleted that is erasing the same owner.
 */
export async function lockOwner(q: Queryable, ownerId: string): Promise<void> {
  await q.execute(sql`select pg_advisory_xact_lock(${OWNER_LOCK_CLASS}, hashtext(${ownerId}))`);
}

export async function isErased(q: Queryable, userId: string): Promise<boolean> {
  const [row] = await q.select({ userId: erasedUsers.userId }).from(erasedUsers).where(eq(erasedUsers.userId, userId));
  return row !== undefined;
}

export async function recordErased(q: Queryable, userId: string, at: Date): Promise<void> {
  await q.insert(erasedUsers).values({ userId, erasedAt: at }).onConflictDoNothing();
}
