/**
 * Work that must wait until an event's transaction has committed. The kit runs each consumer
 * handler inside a transaction it commits itself after the handler returns, so the handler can't
 * run anything "after commit". This wraps the bus the kit consumes from: each delivery gets its
 * own list (carried through the handler by AsyncLocalStorage), and the list runs only once the
 * kit's delivery handler resolved, which is after the commit. A handler that threw (rolled
 * back), and a redelivery the kit skipped, run nothing.
 *
 * What runs here is best effort: it is not retried, and a crash between commit and run loses it.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { EventBus } from '@agora/kit/bus/types';
import type { Logger } from '@agora/kit/logger';

type Work = () => Promise<void>;

export interface AfterCommit {
  /** Runs `work` after the transaction of the delivery being handled commits; throws outside a delivery. */
  defer(work: Work): void;
  /** `bus` whose consumers collect deferred work per delivery and run it once the delivery succeeded. */
  wrap(bus: EventBus): EventBus;
}

export function createAfterCommit(logger: Logger): AfterCommit {
  const pending = new AsyncLocalStorage<Work[]>();

  const runAll = async (works: Work[]): Promise<void> => {
    for (const work of works) {
      try {
        await work();
      } catch (error) {
        logger.warn({ err: error }, 'after-commit work failed; dropped');
      }
    }
  };

  return {
    defer(work) {
      const works = pending.getStore();
      if (!works) throw new Error('after-commit work deferred outside an event delivery');
      works.push(work);
    },
    wrap(bus) {
      return {
        kind: bus.kind,
        deadLetters: bus.deadLetters,
        publish: (envelope, headers) => bus.publish(envelope, headers),
        consume: (queue, types, handler, options) =>
          bus.consume(
            queue,
            types,
            async (delivery) => {
              const works: Work[] = [];
              await pending.run(works, () => handler(delivery));
              // Failures are logged, never thrown: the event is handled, only the extra work is lost.
              await runAll(works);
            },
            options,
          ),
        isReady: () => bus.isReady(),
        close: () => bus.close(),
      };
    },
  };
}
