/**
 * The media a profile may use as avatar, as the media service announces it. A deletion of a
 * current avatar clears it and announces the changed profile.
 */
import type { Tx } from '@agora/kit/db/database';
import { recordDeletion, recordUpload } from '../db/media.repository.ts';
import { clearAvatar } from '../db/profiles.repository.ts';
import { announceProfile } from './profiles.ts';

export async function trackUpload(
  tx: Tx,
  upload: { mediaId: string; ownerId: string; url: string; thumbnailUrl: string | null; contentType: string },
): Promise<void> {
  await recordUpload(tx, { id: upload.mediaId, ownerId: upload.ownerId, url: upload.url, thumbnailUrl: upload.thumbnailUrl, contentType: upload.contentType });
}

export async function trackDeletion(
  tx: Tx,
  deletion: { mediaId: string; ownerId: string },
  at: Date,
  meta: { correlationId: string; causationId: string },
): Promise<void> {
  await recordDeletion(tx, deletion.mediaId, deletion.ownerId, at);
  for (const userId of await clearAvatar(tx, deletion.mediaId, at)) await announceProfile(tx, userId, meta);
}
