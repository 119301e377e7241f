/**
 * Removing the bytes of deleted uploads from storage, after the deletion committed. Deleting over
 * HTTP purges at once; deletions made by event consumers (which can't act after their own
 * commit) and any purge that failed are picked up by the purger on an interval. Deleting bytes
 * twice is harmless, so two instances purging at once need no coordination.
 */
import { createPeriodicJob, type PeriodicJob } from '@agora/kit/periodic-job';
import { listAwaitingPurge, markPurged } from '../db/media.repository.ts';
import type { MediaContext } from './context.ts';

const BATCH = 100;

/** Purges the given deleted uploads, or every one awaiting it; returns how many were purged. */
export async function purgeDeletedMedia(ctx: MediaContext, ids?: string[]): Promise<number> {
  let purged = 0;
  for (;;) {
    const batch = await listAwaitingPurge(ctx.database.db, BATCH, ids);
    const done: string[] = [];
    for (const candidate of batch) {
      try {
        await ctx.storage.delete(candidate.imageKey);
        await ctx.storage.delete(candidate.thumbnailKey);
        done.push(candidate.id);
      } catch (error) {
        ctx.logger.warn({ err: error, mediaId: candidate.id }, 'could not remove the bytes of deleted media; will retry');
      }
    }
    await markPurged(ctx.database.db, done, ctx.clock.now());
    purged += done.length;
    // Stop when the backlog is drained, or when storage refuses everything (retry next round).
    if (batch.length < BATCH || done.length === 0) return purged;
  }
}

/** The purger: a round on an interval, and one at start for what a crash left behind. */
export function createPurger(ctx: MediaContext, intervalMs: number): PeriodicJob {
  return createPeriodicJob({ name: 'media purge', intervalMs, logger: ctx.logger, run: () => purgeDeletedMedia(ctx), runAtStart: true });
}
