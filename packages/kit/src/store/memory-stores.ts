/**
 * In-process stores for embedded mode. They follow the Redis adapter's semantics, so code written
 * against one behaves the same on the other: kv and counters share one keyspace, TTLs are
 * measured on the injected clock, and pub/sub delivers on a later turn of the event loop.
 */
import { systemClock, type Clock } from '../clock.ts';
import type { Logger } from '../logger.ts';
import type { CounterStore, KeyValueStore, PubSub, Stores, Unsubscribe, WindowCount } from './types.ts';

export interface MemoryStoresOptions {
  clock?: Clock;
  /** Where a throwing pub/sub listener is reported; console.error without one. */
  logger?: Logger;
  /** How often expired keys are swept out (reads already ignore them). */
  sweepIntervalMs?: number;
}

interface Entry {
  value: string;
  /** Epoch ms; null means the key never expires. */
  expiresAt: number | null;
}

interface Subscription {
  listener: (message: string) => void;
  active: boolean;
}

const DEFAULT_SWEEP_INTERVAL_MS = 30_000;

export function createMemoryStores(options: MemoryStoresOptions = {}): Stores {
  const clock = options.clock ?? systemClock;
  const now = (): number => clock.now().getTime();
  const entries = new Map<string, Entry>();
  const channels = new Map<string, Set<Subscription>>();
  let closed = false;

  const live = (key: string): Entry | undefined => {
    const entry = entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt !== null && entry.expiresAt <= now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };

  const sweep = (): void => {
    const at = now();
    for (const [key, entry] of entries) {
      if (entry.expiresAt !== null && entry.expiresAt <= at) entries.delete(key);
    }
  };
  // Reads skip expired keys already; the sweep only returns the memory of keys nobody reads again.
  const sweeper = setInterval(sweep, options.sweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS);
  sweeper.unref();

  const assertOpen = (): void => {
    if (closed) throw new Error('Stores are closed');
  };

  const kv: KeyValueStore = {
    async get(key) {
      assertOpen();
      return live(key)?.value ?? null;
    },
    async set(key, value, ttlMs) {
      assertOpen();
      entries.set(key, { value, expiresAt: expiryFrom(now(), ttlMs) });
    },
    async setIfAbsent(key, value, ttlMs) {
      assertOpen();
      const expiresAt = expiryFrom(now(), ttlMs);
      if (live(key) !== undefined) return false;
      entries.set(key, { value, expiresAt });
      return true;
    },
    async delete(key) {
      assertOpen();
      entries.delete(key);
    },
  };

  const counters: CounterStore = {
    async increment(key, windowMs) {
      assertOpen();
      const at = now();
      const windowEnd = expiryFrom(at, windowMs) as number;
      const entry = live(key);
      if (entry === undefined) {
        entries.set(key, { value: '1', expiresAt: windowEnd });
        return { count: 1, resetAt: windowEnd };
      }
      const count = toCount(entry.value) + 1;
      entry.value = String(count);
      // Like the Redis script: a counter that somehow lost its expiry gets a window again.
      entry.expiresAt ??= windowEnd;
      return { count, resetAt: entry.expiresAt };
    },
    async peek(key): Promise<WindowCount | null> {
      assertOpen();
      const entry = live(key);
      if (entry === undefined) return null;
      return { count: toCount(entry.value), resetAt: entry.expiresAt ?? now() };
    },
    async reset(key) {
      assertOpen();
      entries.delete(key);
    },
  };

  const deliver = (channel: string, subscription: Subscription, message: string): void => {
    if (!subscription.active) return;
    try {
      subscription.listener(message);
    } catch (error) {
      if (options.logger) options.logger.error({ err: error, channel }, 'pub/sub listener threw');
      else console.error(`pub/sub listener on ${channel} threw`, error);
    }
  };

  const pubsub: PubSub = {
    async publish(channel, message) {
      assertOpen();
      const subscribers = channels.get(channel);
      if (subscribers === undefined) return;
      // Snapshot now: whoever subscribes after the publish must not see it, as on Redis.
      for (const subscription of [...subscribers]) {
        setImmediate(deliver, channel, subscription, message);
      }
    },
    async subscribe(channel, listener): Promise<Unsubscribe> {
      assertOpen();
      const subscription: Subscription = { listener, active: true };
      let subscribers = channels.get(channel);
      if (subscribers === undefined) {
        subscribers = new Set();
        channels.set(channel, subscribers);
      }
      subscribers.add(subscription);
      return async () => {
        subscription.active = false;
        const current = channels.get(channel);
        if (current === undefined) return;
        current.delete(subscription);
        if (current.size === 0) channels.delete(channel);
      };
    },
  };

  return {
    kind: 'memory',
    kv,
    counters,
    pubsub,
    async ping() {
      assertOpen();
    },
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(sweeper);
      for (const subscribers of channels.values()) {
        for (const subscription of subscribers) subscription.active = false;
      }
      channels.clear();
      entries.clear();
    },
  };
}

/** Same rule as Redis's PX: a positive number of milliseconds (fractions round up). */
function expiryFrom(now: number, ttlMs: number | undefined): number | null {
  if (ttlMs === undefined) return null;
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) throw new RangeError(`TTL must be a positive number of milliseconds, got ${ttlMs}`);
  return now + Math.ceil(ttlMs);
}

function toCount(value: string): number {
  const count = Number(value);
  // Redis answers INCR on such a value with "ERR value is not an integer or out of range".
  if (!Number.isSafeInteger(count)) throw new Error(`Value at counter key is not an integer: ${value}`);
  return count;
}
