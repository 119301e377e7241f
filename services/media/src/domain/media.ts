/** How an upload looks from outside, where its bytes are, and the errors several use cases share. */
import { errors } from '@agora/kit/errors';
import type { MediaRow } from '../db/media.repository.ts';
import type { MediaContext } from './context.ts';

export interface Media {
  id: string;
  ownerId: string;
  url: string;
  thumbnailUrl: string;
  contentType: string;
  size: number;
  width: number;
  height: number;
  createdAt: string;
}

export const MEDIA_PATH = '/api/v1/media';

/** Absolute links under AGORA_PUBLIC_URL, to this service's own file routes behind the gateway. */
export function linksOf(ctx: MediaContext, id: string): { url: string; thumbnailUrl: string } {
  const base = `${ctx.config.AGORA_PUBLIC_URL.replace(/\/+$/, '')}${MEDIA_PATH}/${id}`;
  return { url: `${base}/file`, thumbnailUrl: `${base}/thumbnail` };
}

export const toMedia = (ctx: MediaContext, row: MediaRow): Media => ({
  id: row.id,
  ownerId: row.ownerId,
  ...linksOf(ctx, row.id),
  contentType: row.contentType,
  size: row.size,
  width: row.width,
  height: row.height,
  createdAt: row.createdAt.toISOString(),
});

/** Storage keys of an upload's two renditions. */
export const keysOf = (id: string) => ({ image: `images/${id}`, thumbnail: `thumbnails/${id}` });

export const mediaNotFound = () => errors.notFound('MEDIA.NOT_FOUND', 'No such media');
