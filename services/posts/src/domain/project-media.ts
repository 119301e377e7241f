/** The media posts may show, as the media service announces it; deleted media is left out of the posts showing it. */
import type { Tx } from '@agora/kit/db/database';
import { isErased } from '../db/authors.repository.ts';
import { lockUsersShared } from '../db/locks.repository.ts';
import { recordDeletion, recordUpload } from '../db/media.repository.ts';

export async function trackUpload(
  tx: Tx,
  upload: { mediaId: string; ownerId: string; url: string; thumbnailUrl: string | null; contentType: string },
): Promise<void> {
  await lockUsersShared(tx, [upload.ownerId]);
  if (await isErased(tx, upload.ownerId)) return;
  await recordUpload(tx, { id: upload.mediaId, ownerId: upload.ownerId, url: upload.url, thumbnailUrl: upload.thumbnailUrl, contentType: upload.contentType });
}

export async function trackDeletion(tx: Tx, deletion: { mediaId: string; ownerId: string }, at: Date): Promise<void> {
  await lockUsersShared(tx, [deletion.ownerId]);
  if (await isErased(tx, deletion.ownerId)) return;
  await recordDeletion(tx, deletion.mediaId, deletion.ownerId, at);
}
