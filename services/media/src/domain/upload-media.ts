/**
 * Uploading an image. The bytes are processed and stored first; the row and its media.uploaded
 * then commit in one transaction, so the event never names bytes that aren't there. If that
 * commit fails the stored bytes are removed again (unless the row turns out to exist after all:
 * a commit can succeed and still report a lost connection). A crash between storing and
 * committing leaves unreferenced bytes, never a row without bytes.
 */
import { createHash } from 'node:crypto';
import { errors } from '@agora/kit/errors';
import { newId } from '@agora/kit/ids';
import { findMedia, insertMedia, isErased, lockOwner, type MediaRow } from '../db/media.repository.ts';
import { processImage, THUMBNAIL_CONTENT_TYPE } from '../images/process-image.ts';
import type { MediaContext, RequestMeta } from './context.ts';
import { emit } from './events.ts';
import { keysOf, linksOf, toMedia, type Media } from './media.ts';

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('base64url');

export async function uploadMedia(ctx: MediaContext, ownerId: string, upload: Buffer, meta: RequestMeta): Promise<Media> {
  const processed = await processImage(upload, { maxInputPixels: ctx.config.MEDIA_MAX_INPUT_PIXELS });
  const id = newId();
  const keys = keysOf(id);
  const row: MediaRow = {
    id,
    ownerId,
    contentType: processed.contentType,
    size: processed.image.bytes.length,
    width: processed.image.width,
    height: processed.image.height,
    imageKey: keys.image,
    imageSha256: sha256(processed.image.bytes),
    thumbnailKey: keys.thumbnail,
    thumbnailSize: processed.thumbnail.bytes.length,
    thumbnailSha256: sha256(processed.thumbnail.bytes),
    createdAt: ctx.clock.now(),
    deletedAt: null,
    purgedAt: null,
  };

  const stored: string[] = [];
  try {
    await ctx.storage.put(keys.image, processed.image.bytes, processed.contentType);
    stored.push(keys.image);
    await ctx.storage.put(keys.thumbnail, processed.thumbnail.bytes, THUMBNAIL_CONTENT_TYPE);
    stored.push(keys.thumbnail);
    await ctx.database.transaction(async (tx) => {
      await lockOwner(tx, ownerId);
      // user.deleted already erased this owner: an upload finishing now must not outlive them.
      if (await isErased(tx, ownerId)) throw errors.forbidden('MEDIA.FORBIDDEN', 'This account has been deleted');
      await insertMedia(tx, row);
      await emit(tx, 'media.uploaded', { mediaId: id, ownerId, ...linksOf(ctx, id), contentType: row.contentType }, meta);
    });
  } catch (error) {
    await discardUncommitted(ctx, id, stored);
    throw error;
  }
  return toMedia(ctx, row);
}

async function discardUncommitted(ctx: MediaContext, id: string, keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  // When we can't tell whether the row committed, keep the bytes: unreferenced bytes cost disk,
  // a row without bytes is a broken image.
  const committed = await findMedia(ctx.database.db, id).then(
    (row) => row !== null,
    () => true,
  );
  if (committed) return;
  for (const key of keys) {
    await ctx.storage.delete(key).catch((error: unknown) => ctx.logger.warn({ err: error, key }, 'could not remove the bytes of a failed upload'));
  }
}
