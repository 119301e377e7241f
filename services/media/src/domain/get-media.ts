/** Reading uploads: the media object, and the bytes of either rendition for the file routes. */
import type { Readable } from 'node:stream';
import { findMedia, type MediaRow } from '../db/media.repository.ts';
import { THUMBNAIL_CONTENT_TYPE } from '../images/process-image.ts';
import type { MediaContext } from './context.ts';
import { mediaNotFound, toMedia, type Media } from './media.ts';

export type RenditionName = 'image' | 'thumbnail';

export interface Rendition {
  key: string;
  contentType: string;
  /** A strong validator: the SHA-256 of the bytes, which never change for an id. */
  etag: string;
}

async function findLive(ctx: MediaContext, id: string): Promise<MediaRow> {
  const row = await findMedia(ctx.database.db, id);
  if (!row || row.deletedAt !== null) throw mediaNotFound();
  return row;
}

export async function getMedia(ctx: MediaContext, id: string): Promise<Media> {
  return toMedia(ctx, await findLive(ctx, id));
}

export async function findRendition(ctx: MediaContext, id: string, name: RenditionName): Promise<Rendition> {
  const row = await findLive(ctx, id);
  return name === 'image'
    ? { key: row.imageKey, contentType: row.contentType, etag: `"${row.imageSha256}"` }
    : { key: row.thumbnailKey, contentType: THUMBNAIL_CONTENT_TYPE, etag: `"${row.thumbnailSha256}"` };
}

export async function openRendition(ctx: MediaContext, rendition: Rendition): Promise<{ body: Readable; size: number }> {
  const stored = await ctx.storage.get(rendition.key);
  if (!stored) {
    // A live row has its bytes (they are stored before it commits), unless it was deleted since
    // it was read: 404 either way, not 500.
    ctx.logger.warn({ key: rendition.key }, 'media bytes not in storage');
    throw mediaNotFound();
  }
  return stored;
}
