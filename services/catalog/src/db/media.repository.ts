/** The media projection (fed by media.uploaded / media.deleted). Every function takes the database or an open transaction. */
import { eq, inArray } from 'drizzle-orm';
import type { Queryable } from '@agora/kit/db/database';
import { media, type MediaRow } from './schema.ts';

export type { MediaRow };

/** A media.deleted seen first leaves a deleted row, so the late upload stays deleted. */
export async function recordUpload(q: Queryable, upload: { id: string; ownerId: string; url: string }): Promise<void> {
  await q.insert(media).values(upload).onConflictDoNothing();
}

export async function recordDeletion(q: Queryable, id: string, ownerId: string, at: Date): Promise<void> {
  await q.insert(media).values({ id, ownerId, deletedAt: at }).onConflictDoUpdate({ target: media.id, set: { deletedAt: at } });
}

export async function findMediaByIds(q: Queryable, ids: string[]): Promise<MediaRow[]> {
  if (ids.length === 0) return [];
  return q.select().from(media).where(inArray(media.id, ids));
}

export async function deleteMediaOf(q: Queryable, ownerId: string): Promise<void> {
  await q.delete(media).where(eq(media.ownerId, ownerId));
}
