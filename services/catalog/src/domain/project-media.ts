/**
 * The uploads a seller may show on their products, as the media service announces them. A
 * deletion that overtakes its upload leaves a tombstone; a deleted image drops out of imageUrls.
 */
import type { Tx } from '@agora/kit/db/database';
import { isErased } from '../db/authors.repository.ts';
import { lockUserShared } from '../db/locks.repository.ts';
import { recordDeletion, recordUpload } from '../db/media.repository.ts';

export async function trackUpload(tx: Tx, upload: { mediaId: string; ownerId: string; url: string }): Promise<void> {
  await lockUserShared(tx, upload.ownerId);
  if (await isErased(tx, upload.ownerId)) return;
  await recordUpload(tx, { id: upload.mediaId, ownerId: upload.ownerId, url: upload.url });
}

export async function trackDeletion(tx: Tx, deletion: { mediaId: string; ownerId: string }, at: Date): Promise<void> {
  await lockUserShared(tx, deletion.ownerId);
  if (await isErased(tx, deletion.ownerId)) return;
  await recordDeletion(tx, deletion.mediaId, deletion.ownerId, at);
}
