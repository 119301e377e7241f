/**
 * Work an event handler wants done only once its delivery's transaction has committed (a live
 * push, a cache invalidation): consumeEvents runs every handler in a transaction it commits
 * itself, so a handler calls `afterCommit(work)` and the kit runs `work` after the commit. A
 * handler that threw (rolled back) and a redelivery that was skipped run nothing.
 *
 * Best effort by nature: not retried, and lost if the process dies between commit and run. Use
 * the outbox for anything that must happen.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger } from '../logger.ts';

type Work = () => Promise<void>;

const pending = new AsyncLocalStorage<Work[]>();

/** Defers `work` until the current event delivery has committed; throws outside a delivery. */
export function afterCommit(work: Work): void {
  const works = pending.getStore();
  if (!works) throw new Error('afterCommit called outside an event delivery');
  works.push(work);
}

/** Runs `deliver` collecting deferred work, then that work if `deliver` succeeded. Used by consumeEvents. */
export async function withAfterCommit<T>(deliver: () => Promise<T>, logger: Logger): Promise<T> {
  const works: Work[] = [];
  const result = await pending.run(works, deliver);
  for (const work of works) {
    try {
      await work();
    } catch (error) {
      // The event is handled; only the extra work is lost.
      logger.warn({ err: error }, 'after-commit work failed; dropped');
    }
  }
  return result;
}
