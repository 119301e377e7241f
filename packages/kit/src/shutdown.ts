/**
 * Graceful shutdown: on SIGTERM/SIGINT close each resource in order (HTTP first, so no new
 * work arrives, then consumers and the relay, then connections), bounded by a timeout so a
 * stuck dependency can't keep a pod from terminating.
 */
import type { Logger } from './logger.ts';

export interface Closeable {
  name: string;
  close(): Promise<void>;
}

export async function closeAll(resources: Closeable[], logger: Logger): Promise<void> {
  for (const resource of resources) {
    try {
      await resource.close();
    } catch (error) {
      logger.warn({ err: error, resource: resource.name }, 'error while closing');
    }
  }
}

export function closeOnSignals(resources: Closeable[], logger: Logger, timeoutMs: number): void {
  let closing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error({ timeoutMs }, 'shutdown timed out; exiting');
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    void closeAll(resources, logger).then(() => {
      logger.info('shut down cleanly');
      process.exit(0);
    });
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}
