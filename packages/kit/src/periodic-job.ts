/**
 * A round of work run on an interval while a service runs (orders' timeout sweeper, media's purge).
 * One round at a time per process; a failed round is logged and the next one tries again. Each
 * job is safe with several instances running it (row locks with SKIP LOCKED, or idempotent
 * deletes), so no leader is elected.
 */
import type { Logger } from './logger.ts';

export interface PeriodicJob {
  start(): void;
  /** Runs a round now (or joins the one running). */
  runNow(): Promise<void>;
  stop(): Promise<void>;
}

export interface PeriodicJobOptions {
  name: string;
  intervalMs: number;
  logger: Logger;
  run: () => Promise<unknown>;
  /** Also run a round at start, for work a crash may have left behind. */
  runAtStart?: boolean;
}

export function createPeriodicJob(options: PeriodicJobOptions): PeriodicJob {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  const runNow = (): Promise<void> => {
    running ??= options
      .run()
      .then(
        () => undefined,
        (error: unknown) => options.logger.warn({ err: error, job: options.name }, 'periodic job failed; will retry'),
      )
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  return {
    start() {
      if (timer) return;
      timer = setInterval(() => void runNow(), options.intervalMs);
      timer.unref();
      if (options.runAtStart) void runNow();
    },
    runNow,
    async stop() {
      clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}
