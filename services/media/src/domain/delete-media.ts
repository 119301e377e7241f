/**
 * Deleting uploads, by their owner (or an admin) over HTTP and by the events that take media
 * with them (post.deleted, user.deleted). The row is marked deleted and media.deleted goes out
 * in one transaction; the bytes are removed after it commits (purge-deleted-media.ts), so a
 * failed transaction never leaves a live row without bytes.
 */
import type { Principal } from '@agora/kit/auth/access-token';
import type { Tx } from '@agora/kit/db/database';
import { errors } from '@agora/kit/errors';
import { findMedia, lockOwner, markDeleted, recordErased, type DeletedMedia } from '../db/media.repository.ts';
import type { MediaContext, RequestMeta } from './context.ts';
import { emit } from './events.ts';
import { mediaNotFound } from './media.ts';
import { purgeDeletedMedia } from './purge-deleted-media.ts';

interface EventMeta {
  correlationId?: string | undefined;
  causationId?: string | undefined;
}

async function announce(tx: Tx, deleted: DeletedMedia[], meta: EventMeta): Promise<void> {
  for (const media of deleted) await emit(tx, 'media.deleted', { mediaId: media.id, ownerId: media.ownerId }, meta);
}

export async function deleteMedia(ctx: MediaContext, principal: Pick<Principal, 'userId' | 'roles'>, id: string, meta: RequestMeta): Promise<void> {
  const at = ctx.clock.now();
  await ctx.database.transaction(async (tx) => {
    const row = await findMedia(tx, id);
    if (!row || row.deletedAt !== null) throw mediaNotFound();
    if (row.ownerId !== principal.userId && !principal.roles.includes('admin')) {
      throw errors.forbidden('MEDIA.FORBIDDEN', 'Only the uploader (or an admin) may delete this');
    }
    // Empty when a concurrent deletion won: it announced the deletion, and the 204 holds either way.
    await announce(tx, await markDeleted(tx, { ids: [id] }, at), meta);
  });
  // The bytes go before the answer; if storage fails now, the purger retries in the background.
  await purgeDeletedMedia(ctx, [id]).catch((error: unknown) => ctx.logger.warn({ err: error, mediaId: id }, 'bytes of deleted media not removed yet'));
}

/** post.deleted: the post's media go with it, but only uploads of the post's author. */
export async function deletePostMedia(tx: Tx, post: { authorId: string; mediaIds: string[] }, at: Date, meta: EventMeta): Promise<void> {
  const ids = [...new Set(post.mediaIds)];
  await announce(tx, await markDeleted(tx, { ids, ownerId: post.authorId }, at), meta);
}

/**
 * user.deleted: every upload of the user goes, and the user is remembered as erased so an upload
 * still in flight can't commit after this (see upload-media.ts; both take the owner's lock).
 */
export async function eraseUserMedia(tx: Tx, userId: string, at: Date, meta: EventMeta): Promise<void> {
  await lockOwner(tx, userId);
  await recordErased(tx, userId, at);
  await announce(tx, await markDeleted(tx, { ownerId: userId }, at), meta);
}
