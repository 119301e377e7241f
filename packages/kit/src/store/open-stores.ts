/** Picks the stores adapter from configuration: Redis when a URL is set, memory otherwise. */
import type { Logger } from '../logger.ts';
import { createMemoryStores } from './memory-stores.ts';
import { createRedisStores } from './redis-stores.ts';
import type { Stores } from './types.ts';

/** Key prefix shared by every service, so revocations written by identity are seen by all. */
export const STORE_PREFIX = 'agora:';

export interface OpenStoresOptions {
  redisUrl?: string;
  /** Redis only: prepended to every key and channel; STORE_PREFIX unless a test isolates itself. */
  keyPrefix?: string;
  logger?: Logger;
}

/**
 * Returns at once; the Redis adapter connects in the background and keeps reconnecting. Await
 * `ping()` where a start-up or readiness check needs Redis to answer.
 */
export function openStores(options: OpenStoresOptions = {}): Stores {
  if (options.redisUrl) {
    return createRedisStores({ url: options.redisUrl, keyPrefix: options.keyPrefix ?? STORE_PREFIX, logger: options.logger });
  }
  return createMemoryStores({ logger: options.logger });
}
