/** The media projection (fed by media.uploaded / media.deleted). Every function takes the database or an open transaction. */
import { eq } from 'drizzle-orm';
import type { Queryable } from '@agora/kit/db/database';
import { media, type MediaRow } from './schema.ts';

export type { MediaRow };

/** A media.deleted seen first leaves a deleted row, so the late upload stays deleted. */
export async function recordUpload(
  q: Queryable,
  upload: { id: string; ownerId: string; url: string; thumbnailUrl: string | null; contentType: string },
): Promise<void> {
  await q.insert(media).values(upload).onConflictDoNothing();
}

export async function recordDeletion(q: Queryable, id: string, ownerId: string, at: Date): Promise<void> {
  await q.insert(media).values({ id, ownerId, deletedAt: at }).onConflictDoUpdate({ target: media.id, set: { deletedAt: at } });
}

export async function findMedia(q: Queryable, id: string): Promise<MediaRow | null> {
  const [row] = await q.select().from(media).where(eq(media.id, id));
  return row ?? null;
}
