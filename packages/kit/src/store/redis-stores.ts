/**
 * Redis-backed stores for distributed mode (ioredis). One connection serves kv and counters; a
 * second one, opened on the first subscribe, is held in subscriber mode for pub/sub.
 *
 * Failure policy: ioredis keeps reconnecting in the background, but a command never waits for it
 * longer than `commandTimeoutMs`, so a rate-limit check or a revocation lookup fails fast and the
 * caller decides what an outage means. A command that timed out while queued offline may still run
 * once the connection is back (an increment may then count twice); that is the price of not
 * hanging, and harmless for counters, revocations and caches.
 */
import { Redis } from 'ioredis';
import type { Logger } from '../logger.ts';
import type { CounterStore, KeyValueStore, PubSub, Stores, Unsubscribe, WindowCount } from './types.ts';

export interface RedisStoresOptions {
  url: string;
  /** Prepended to every key and channel, so services (and test runs) can share one Redis. */
  keyPrefix?: string;
  logger?: Logger;
  /** Longest a single command may wait, queued or in flight, before it rejects. */
  commandTimeoutMs?: number;
  /** CLIENT SETNAME for both connections (the subscriber gets `:sub`), so CLIENT LIST tells who is who. */
  connectionName?: string;
}

interface Subscription {
  listener: (message: string) => void;
  active: boolean;
}

interface ChannelState {
  subscriptions: Set<Subscription>;
  /** Settles when Redis has confirmed the SUBSCRIBE. */
  ready: Promise<void>;
}

// The window opens on the first hit only; later hits in the window never extend it. A key with no
// expiry (written through kv, or left by an older script) is given one rather than living forever.
const INCREMENT_WINDOW_LUA = `
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if count == 1 or ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}
`;

// GET and PTTL in one step, so the key can't expire between the two.
const PEEK_WINDOW_LUA = `
local value = redis.call('GET', KEYS[1])
if not value then return nil end
return {value, redis.call('PTTL', KEYS[1])}
`;

type ScriptedRedis = Redis & {
  incrementWindow(key: string, windowMs: number): Promise<[number, number]>;
  peekWindow(key: string): Promise<[string, number] | null>;
};

const DEFAULT_COMMAND_TIMEOUT_MS = 1_000;

export function createRedisStores(options: RedisStoresOptions): Stores {
  const { logger } = options;
  const keyPrefix = options.keyPrefix ?? '';
  const client = new Redis(options.url, {
    keyPrefix,
    commandTimeout: options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
    // Reject queued commands after one failed reconnect instead of ioredis's default twenty.
    maxRetriesPerRequest: 1,
    connectTimeout: 5_000,
    // Closing while Redis is down leaves a timer to destroy the dead socket; ioredis's 2 s of it
    // would hold up a graceful shutdown.
    disconnectTimeout: 200,
    connectionName: options.connectionName,
    // Commands issued in the same tick (a request's revocation check and rate-limit hit, and
    // those of concurrent requests) go out in one write: fewer syscalls on the hot path.
    enableAutoPipelining: true,
  }) as ScriptedRedis;
  client.defineCommand('incrementWindow', { numberOfKeys: 1, lua: INCREMENT_WINDOW_LUA });
  client.defineCommand('peekWindow', { numberOfKeys: 1, lua: PEEK_WINDOW_LUA, readOnly: true });
  watchConnection(client, 'commands', logger);

  // ioredis's keyPrefix covers keys only; channels get the same prefix here.
  const channelName = (channel: string): string => keyPrefix + channel;
  const channels = new Map<string, ChannelState>();
  let subscriber: Redis | undefined;
  let closing: Promise<void> | undefined;

  const assertOpen = (): void => {
    if (closing) throw new Error('Stores are closed');
  };

  const openSubscriber = (): Redis => {
    const connection = client.duplicate(options.connectionName === undefined ? {} : { connectionName: `${options.connectionName}:sub` });
    watchConnection(connection, 'subscriber', logger);
    connection.on('message', (channel: string, message: string) => {
      const state = channels.get(channel);
      if (state === undefined) return;
      for (const subscription of [...state.subscriptions]) {
        if (!subscription.active) continue;
        try {
          subscription.listener(message);
        } catch (error) {
          if (logger) logger.error({ err: error, channel }, 'pub/sub listener threw');
          else console.error(`pub/sub listener on ${channel} threw`, error);
        }
      }
    });
    return connection;
  };

  const kv: KeyValueStore = {
    async get(key) {
      assertOpen();
      return client.get(key);
    },
    async set(key, value, ttlMs) {
      assertOpen();
      if (ttlMs === undefined) await client.set(key, value);
      else await client.set(key, value, 'PX', toPx(ttlMs));
    },
    async setIfAbsent(key, value, ttlMs) {
      assertOpen();
      const reply = ttlMs === undefined ? await client.set(key, value, 'NX') : await client.set(key, value, 'PX', toPx(ttlMs), 'NX');
      return reply === 'OK';
    },
    async delete(key) {
      assertOpen();
      await client.del(key);
    },
  };

  const counters: CounterStore = {
    async increment(key, windowMs) {
      assertOpen();
      const [count, ttl] = await client.incrementWindow(key, toPx(windowMs));
      return { count, resetAt: Date.now() + ttl };
    },
    async peek(key): Promise<WindowCount | null> {
      assertOpen();
      const reply = await client.peekWindow(key);
      if (reply === null) return null;
      const [value, ttl] = reply;
      return { count: Number(value), resetAt: Date.now() + Math.max(ttl, 0) };
    },
    async reset(key) {
      assertOpen();
      await client.del(key);
    },
  };

  const pubsub: PubSub = {
    async publish(channel, message) {
      assertOpen();
      await client.publish(channelName(channel), message);
    },
    async subscribe(channel, listener): Promise<Unsubscribe> {
      assertOpen();
      const name = channelName(channel);
      const connection = (subscriber ??= openSubscriber());
      let state = channels.get(name);
      if (state === undefined) {
        const fresh: ChannelState = {
          subscriptions: new Set(),
          ready: connection.subscribe(name).then(() => undefined),
        };
        channels.set(name, fresh);
        state = fresh;
      }
      // Joined before the SUBSCRIBE is confirmed, so a concurrent unsubscribe of another listener
      // can't see the channel empty and drop it under us.
      const subscription: Subscription = { listener, active: true };
      state.subscriptions.add(subscription);

      const leave = async (): Promise<void> => {
        if (!subscription.active) return;
        subscription.active = false;
        const current = channels.get(name);
        if (current !== state || !current.subscriptions.delete(subscription) || current.subscriptions.size > 0) return;
        channels.delete(name);
        if (closing) return;
        try {
          await connection.unsubscribe(name);
        } catch (error) {
          // Delivery has stopped locally already; the server forgets the channel on reconnect.
          logger?.warn({ err: error, channel }, 'redis UNSUBSCRIBE failed');
        }
      };

      try {
        await state.ready;
      } catch (error) {
        subscription.active = false;
        state.subscriptions.delete(subscription);
        if (channels.get(name) === state) channels.delete(name);
        throw error;
      }
      return leave;
    },
  };

  return {
    kind: 'redis',
    kv,
    counters,
    pubsub,
    async ping() {
      assertOpen();
      await client.ping();
    },
    close() {
      closing ??= (async () => {
        for (const state of channels.values()) {
          for (const subscription of state.subscriptions) subscription.active = false;
        }
        channels.clear();
        await Promise.all([shutDown(client), subscriber ? shutDown(subscriber) : undefined]);
      })();
      return closing;
    },
  };
}

/** PX takes whole positive milliseconds. */
function toPx(ttlMs: number): number {
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) throw new RangeError(`TTL must be a positive number of milliseconds, got ${ttlMs}`);
  return Math.ceil(ttlMs);
}

/** Logs the first error of an outage and the recovery, not every failed reconnect in between. */
function watchConnection(connection: Redis, role: string, logger: Logger | undefined): void {
  let failing = false;
  connection.on('error', (error: Error) => {
    if (failing) return;
    failing = true;
    logger?.warn({ err: error, role }, 'redis connection failing; retrying in the background');
  });
  connection.on('ready', () => {
    if (!failing) return;
    failing = false;
    logger?.info({ role }, 'redis connection restored');
  });
}

async function shutDown(connection: Redis): Promise<void> {
  if (connection.status === 'end') return;
  if (connection.status !== 'ready') {
    connection.disconnect();
    return;
  }
  try {
    await connection.quit();
  } catch {
    connection.disconnect();
  }
}
