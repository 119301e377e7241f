/**
 * The one contract every Stores adapter passes (memory in embedded mode, Redis in distributed).
 * Time-based cases run on the adapter's own clock through the harness: a manual clock for memory,
 * short real windows for Redis.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { pino } from 'pino';
import type { Logger } from '../../src/logger.ts';
import { checkRateLimit } from '../../src/store/rate-limit.ts';
import { createRevocationList } from '../../src/store/revocation.ts';
import type { Stores } from '../../src/store/types.ts';

export interface StoreHarness {
  stores: Stores;
  /** Epoch ms on the clock the stores use. */
  now(): number;
  /** Lets `ms` pass on that clock. */
  elapse(ms: number): Promise<void>;
  /** Closes the stores and removes everything the test wrote. */
  dispose(): Promise<void>;
}

export interface StoreContractOptions {
  /** A short window for TTL and counter cases; real time on Redis, so keep it small. */
  windowMs: number;
  /** How far two readings of one deadline may differ (round trips on a real server). */
  toleranceMs: number;
  skip?: string | false;
}

export type OpenHarness = (options: { logger?: Logger }) => Promise<StoreHarness>;

export function describeStoreContract(adapter: string, open: OpenHarness, options: StoreContractOptions): void {
  const { windowMs, toleranceMs } = options;
  const half = Math.floor(windowMs / 2);
  /** From the middle of a window to safely past its end. */
  const rest = windowMs - half + 20;

  void describe(`Stores contract: ${adapter}`, { skip: options.skip ?? false }, () => {
    let harness: StoreHarness;
    let stores: Stores;

    beforeEach(async () => {
      harness = await open({});
      stores = harness.stores;
    });
    afterEach(async () => {
      await harness.dispose();
    });

    void describe('kv', () => {
      void it('reads an unknown key as null', async () => {
        assert.equal(await stores.kv.get('kv:missing'), null);
      });

      void it('reads back what was set, and the last write wins', async () => {
        await stores.kv.set('kv:a', 'one');
        assert.equal(await stores.kv.get('kv:a'), 'one');
        await stores.kv.set('kv:a', 'two');
        assert.equal(await stores.kv.get('kv:a'), 'two');
      });

      void it('keeps keys apart', async () => {
        await stores.kv.set('kv:a', 'A');
        await stores.kv.set('kv:b', 'B');
        assert.equal(await stores.kv.get('kv:a'), 'A');
        assert.equal(await stores.kv.get('kv:b'), 'B');
      });

      void it('deletes a key, and deleting a missing key is fine', async () => {
        await stores.kv.set('kv:a', 'one');
        await stores.kv.delete('kv:a');
        assert.equal(await stores.kv.get('kv:a'), null);
        await stores.kv.delete('kv:never-set');
      });

      void it('forgets a key once its TTL has passed', async () => {
        await stores.kv.set('kv:ttl', 'v', windowMs);
        await harness.elapse(half);
        assert.equal(await stores.kv.get('kv:ttl'), 'v');
        await harness.elapse(rest);
        assert.equal(await stores.kv.get('kv:ttl'), null);
      });

      void it('drops an earlier TTL when the key is set again without one', async () => {
        await stores.kv.set('kv:ttl', 'short', windowMs);
        await stores.kv.set('kv:ttl', 'forever');
        await harness.elapse(windowMs + 20);
        assert.equal(await stores.kv.get('kv:ttl'), 'forever');
      });

      void it('refuses a TTL that is not a positive number of milliseconds', async () => {
        await assert.rejects(stores.kv.set('kv:bad', 'v', 0), RangeError);
        await assert.rejects(stores.kv.set('kv:bad', 'v', -5), RangeError);
        await assert.rejects(stores.kv.setIfAbsent('kv:bad', 'v', Number.NaN), RangeError);
        assert.equal(await stores.kv.get('kv:bad'), null);
      });

      void it('setIfAbsent sets only an absent key and says whether it did', async () => {
        assert.equal(await stores.kv.setIfAbsent('kv:nx', 'first'), true);
        assert.equal(await stores.kv.setIfAbsent('kv:nx', 'second'), false);
        assert.equal(await stores.kv.get('kv:nx'), 'first');
      });

      void it('setIfAbsent succeeds again once the holder has expired', async () => {
        assert.equal(await stores.kv.setIfAbsent('kv:nx', 'first', windowMs), true);
        await harness.elapse(half);
        assert.equal(await stores.kv.setIfAbsent('kv:nx', 'second', windowMs), false);
        await harness.elapse(rest);
        assert.equal(await stores.kv.setIfAbsent('kv:nx', 'third', windowMs), true);
        assert.equal(await stores.kv.get('kv:nx'), 'third');
      });

      void it('lets exactly one of 20 concurrent setIfAbsent calls win, and keeps its value', async () => {
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) => stores.kv.setIfAbsent('kv:race', `caller-${i}`, 60_000)),
        );
        const winners = results.flatMap((won, i) => (won ? [i] : []));
        assert.equal(winners.length, 1);
        assert.equal(await stores.kv.get('kv:race'), `caller-${winners[0]}`);
      });
    });

    void describe('counters', () => {
      void it('opens a window of windowMs on the first increment', async () => {
        const before = harness.now();
        const first = await stores.counters.increment('c:open', windowMs);
        assert.equal(first.count, 1);
        assert.ok(first.resetAt >= before + windowMs - toleranceMs, `resetAt ${first.resetAt - before} ms ahead`);
        assert.ok(first.resetAt <= harness.now() + windowMs + toleranceMs, `resetAt ${first.resetAt - before} ms ahead`);
      });

      void it('counts within the window without moving its end', async () => {
        const first = await stores.counters.increment('c:window', windowMs);
        await harness.elapse(half);
        const second = await stores.counters.increment('c:window', windowMs);
        assert.equal(second.count, 2);
        assert.ok(Math.abs(second.resetAt - first.resetAt) <= toleranceMs, `window end moved by ${second.resetAt - first.resetAt} ms`);
      });

      void it('starts again from one once the window has ended', async () => {
        const first = await stores.counters.increment('c:expire', windowMs);
        await stores.counters.increment('c:expire', windowMs);
        await harness.elapse(half);
        await harness.elapse(rest);
        assert.equal(await stores.counters.peek('c:expire'), null);
        const next = await stores.counters.increment('c:expire', windowMs);
        assert.equal(next.count, 1);
        assert.ok(next.resetAt >= first.resetAt + rest - toleranceMs, 'a new window was opened');
      });

      void it('hands out each of 1..50 exactly once to 50 concurrent increments', async () => {
        const results = await Promise.all(Array.from({ length: 50 }, () => stores.counters.increment('c:race', 60_000)));
        const counts = results.map((r) => r.count).sort((a, b) => a - b);
        assert.deepEqual(counts, Array.from({ length: 50 }, (_, i) => i + 1));
        const resetAts = results.map((r) => r.resetAt);
        assert.ok(Math.max(...resetAts) - Math.min(...resetAts) <= toleranceMs, 'all increments share one window');
        assert.equal((await stores.counters.peek('c:race'))?.count, 50);
      });

      void it('peeks at the open window without counting', async () => {
        assert.equal(await stores.counters.peek('c:peek'), null);
        const hit = await stores.counters.increment('c:peek', windowMs);
        await stores.counters.increment('c:peek', windowMs);
        const seen = await stores.counters.peek('c:peek');
        const again = await stores.counters.peek('c:peek');
        assert.equal(seen?.count, 2);
        assert.equal(again?.count, 2);
        assert.ok(Math.abs((seen?.resetAt ?? 0) - hit.resetAt) <= toleranceMs, 'peek reports the window end');
      });

      void it('resets a counter so the next increment opens a new window', async () => {
        await stores.counters.increment('c:reset', 60_000);
        await stores.counters.increment('c:reset', 60_000);
        await stores.counters.reset('c:reset');
        assert.equal(await stores.counters.peek('c:reset'), null);
        assert.equal((await stores.counters.increment('c:reset', 60_000)).count, 1);
        await stores.counters.reset('c:never-used');
      });

      void it('keeps counters apart', async () => {
        await stores.counters.increment('c:x', 60_000);
        await stores.counters.increment('c:x', 60_000);
        assert.equal((await stores.counters.increment('c:y', 60_000)).count, 1);
        assert.equal((await stores.counters.peek('c:x'))?.count, 2);
      });

      void it('refuses a window that is not a positive number of milliseconds', async () => {
        await assert.rejects(stores.counters.increment('c:bad', 0), RangeError);
        assert.equal(await stores.counters.peek('c:bad'), null);
      });
    });

    void describe('rate limit', () => {
      void it('allows `limit` requests in a window, then refuses with Retry-After', async () => {
        const decisions = [];
        for (let i = 0; i < 5; i++) decisions.push(await checkRateLimit(stores.counters, 'rl:user', 3, 60_000, harness.now()));
        assert.deepEqual(
          decisions.map((d) => [d.allowed, d.remaining]),
          [[true, 2], [true, 1], [true, 0], [false, 0], [false, 0]],
        );
        for (const d of decisions) {
          assert.equal(d.limit, 3);
          assert.ok(d.resetSeconds >= 59 && d.resetSeconds <= 60, `resetSeconds ${d.resetSeconds}`);
        }
        assert.deepEqual(decisions.slice(0, 3).map((d) => d.retryAfterSeconds), [undefined, undefined, undefined]);
        assert.deepEqual(decisions.slice(3).map((d) => d.retryAfterSeconds), [decisions[3]?.resetSeconds, decisions[4]?.resetSeconds]);
      });

      void it('reports the whole window, rounded up to seconds, on the first request', async () => {
        assert.equal((await checkRateLimit(stores.counters, 'rl:minute', 10, 60_000, harness.now())).resetSeconds, 60);
        assert.equal((await checkRateLimit(stores.counters, 'rl:odd', 10, 1_500, harness.now())).resetSeconds, 2);
        assert.equal((await checkRateLimit(stores.counters, 'rl:short', 10, windowMs, harness.now())).resetSeconds, 1);
      });

      void it('allows again once the window has passed', async () => {
        await checkRateLimit(stores.counters, 'rl:window', 2, windowMs, harness.now());
        await checkRateLimit(stores.counters, 'rl:window', 2, windowMs, harness.now());
        const refused = await checkRateLimit(stores.counters, 'rl:window', 2, windowMs, harness.now());
        assert.equal(refused.allowed, false);
        assert.equal(refused.retryAfterSeconds, 1);
        await harness.elapse(windowMs + 20);
        const decision = await checkRateLimit(stores.counters, 'rl:window', 2, windowMs, harness.now());
        assert.equal(decision.allowed, true);
        assert.equal(decision.remaining, 1);
      });

      void it('limits each key on its own', async () => {
        await checkRateLimit(stores.counters, 'rl:a', 1, 60_000, harness.now());
        assert.equal((await checkRateLimit(stores.counters, 'rl:a', 1, 60_000, harness.now())).allowed, false);
        assert.equal((await checkRateLimit(stores.counters, 'rl:b', 1, 60_000, harness.now())).allowed, true);
      });

      void it('allows exactly `limit` of many concurrent requests', async () => {
        const decisions = await Promise.all(Array.from({ length: 30 }, () => checkRateLimit(stores.counters, 'rl:burst', 10, 60_000, harness.now())));
        assert.equal(decisions.filter((d) => d.allowed).length, 10);
        assert.deepEqual(
          decisions.map((d) => d.remaining).sort((a, b) => a - b),
          [...Array<number>(20).fill(0), 0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
        );
      });
    });

    void describe('revocation list', () => {
      void it('reports a session as revoked once revoked, and only that session', async () => {
        const revocations = createRevocationList(stores.kv);
        assert.equal(await revocations.isRevoked('sid-1'), false);
        await revocations.revoke('sid-1', 60_000);
        assert.equal(await revocations.isRevoked('sid-1'), true);
        assert.equal(await revocations.isRevoked('sid-2'), false);
      });

      void it('stores revocations under revoked:sid:<id>', async () => {
        await createRevocationList(stores.kv).revoke('abc', 60_000);
        assert.notEqual(await stores.kv.get('revoked:sid:abc'), null);
      });

      void it('forgets a revocation after its TTL', async () => {
        const revocations = createRevocationList(stores.kv);
        await revocations.revoke('sid-ttl', windowMs);
        await harness.elapse(half);
        assert.equal(await revocations.isRevoked('sid-ttl'), true);
        await harness.elapse(rest);
        assert.equal(await revocations.isRevoked('sid-ttl'), false);
      });
    });

    void describe('pub/sub', () => {
      void it('delivers a message to every subscriber of the channel', async () => {
        const a = collect(1);
        const b = collect(1);
        await stores.pubsub.subscribe('ch:fan', a.listener);
        await stores.pubsub.subscribe('ch:fan', b.listener);
        await stores.pubsub.publish('ch:fan', 'hello');
        assert.deepEqual(await a.done, ['hello']);
        assert.deepEqual(await b.done, ['hello']);
      });

      void it('never calls a listener from inside publish', async () => {
        const received: string[] = [];
        await stores.pubsub.subscribe('ch:async', (m) => received.push(m));
        const published = stores.pubsub.publish('ch:async', 'later');
        assert.deepEqual(received, []);
        await published;
        await waitFor(() => received.length === 1);
      });

      void it('stops delivering to a listener once it unsubscribes', async () => {
        const gone: string[] = [];
        const stays = collect(2);
        const unsubscribe = await stores.pubsub.subscribe('ch:unsub', (m) => gone.push(m));
        await stores.pubsub.subscribe('ch:unsub', stays.listener);
        await stores.pubsub.publish('ch:unsub', 'before');
        await waitFor(() => gone.length === 1);
        await unsubscribe();
        await unsubscribe();
        await stores.pubsub.publish('ch:unsub', 'after');
        assert.deepEqual(await stays.done, ['before', 'after']);
        assert.deepEqual(gone, ['before']);
      });

      void it('subscribes a channel again after its last listener left', async () => {
        const unsubscribe = await stores.pubsub.subscribe('ch:again', () => {});
        await unsubscribe();
        const back = collect(1);
        await stores.pubsub.subscribe('ch:again', back.listener);
        await stores.pubsub.publish('ch:again', 'back');
        assert.deepEqual(await back.done, ['back']);
      });

      void it('treats each subscribe of the same function as its own subscription', async () => {
        const received: string[] = [];
        const listener = (m: string): void => void received.push(m);
        const first = await stores.pubsub.subscribe('ch:same', listener);
        await stores.pubsub.subscribe('ch:same', listener);
        await stores.pubsub.publish('ch:same', 'one');
        await waitFor(() => received.length === 2);
        await first();
        const marker = collect(1);
        await stores.pubsub.subscribe('ch:same', marker.listener);
        await stores.pubsub.publish('ch:same', 'two');
        await marker.done;
        assert.deepEqual(received, ['one', 'one', 'two']);
      });

      void it('keeps channels apart', async () => {
        const onA = collect(1);
        const onB = collect(1);
        await stores.pubsub.subscribe('ch:a', onA.listener);
        await stores.pubsub.subscribe('ch:b', onB.listener);
        await stores.pubsub.publish('ch:a', 'for-a');
        await stores.pubsub.publish('ch:b', 'for-b');
        assert.deepEqual(await onA.done, ['for-a']);
        assert.deepEqual(await onB.done, ['for-b']);
        // Both messages went out in order, so a misrouted 'for-a' would have reached B first.
        assert.deepEqual(onA.received, ['for-a']);
      });

      void it('delivers one publisher\'s messages on a channel in order', async () => {
        const inbox = collect(20);
        await stores.pubsub.subscribe('ch:order', inbox.listener);
        const sent = Array.from({ length: 20 }, (_, i) => `m${i}`);
        await Promise.all(sent.map((m) => stores.pubsub.publish('ch:order', m)));
        assert.deepEqual(await inbox.done, sent);
      });

      void it('publishing to a channel nobody listens on is fine', async () => {
        await stores.pubsub.publish('ch:nobody', 'void');
      });
    });

    void describe('a throwing listener', () => {
      void it('is logged and does not keep the others from the message', async () => {
        await harness.dispose();
        const lines: string[] = [];
        const logger = pino(
          new Writable({
            write(chunk: Buffer, _encoding, callback) {
              lines.push(chunk.toString());
              callback();
            },
          }),
        );
        harness = await open({ logger });
        stores = harness.stores;
        const healthy = collect(1);
        await stores.pubsub.subscribe('ch:throw', () => {
          throw new Error('listener bug');
        });
        await stores.pubsub.subscribe('ch:throw', healthy.listener);
        await stores.pubsub.publish('ch:throw', 'still delivered');
        assert.deepEqual(await healthy.done, ['still delivered']);
        await waitFor(() => lines.some((l) => l.includes('listener bug')));
      });
    });

    void describe('lifecycle', () => {
      void it('answers ping while open', async () => {
        await stores.ping();
      });

      void it('closes idempotently and refuses work afterwards', async () => {
        await Promise.all([stores.close(), stores.close()]);
        await stores.close();
        await assert.rejects(stores.kv.get('kv:any'));
        await assert.rejects(stores.ping());
      });

      void it('stops delivering to subscribers when closed', async () => {
        const received: string[] = [];
        await stores.pubsub.subscribe('ch:closing', (m) => received.push(m));
        const publishing = stores.pubsub.publish('ch:closing', 'racing the close');
        await stores.close();
        await publishing.catch(() => {});
        await new Promise((resolve) => setTimeout(resolve, 20));
        assert.deepEqual(received, []);
      });
    });
  });
}

interface Collector {
  listener: (message: string) => void;
  received: string[];
  /** Resolves with the messages once `count` have arrived; rejects after 2 s. */
  done: Promise<string[]>;
}

function collect(count: number): Collector {
  const received: string[] = [];
  const { promise, resolve, reject } = Promise.withResolvers<string[]>();
  const timer = setTimeout(() => reject(new Error(`expected ${count} message(s), got ${JSON.stringify(received)}`)), 2_000);
  return {
    received,
    done: promise,
    listener: (message) => {
      received.push(message);
      if (received.length === count) {
        clearTimeout(timer);
        resolve([...received]);
      }
    },
  };
}

async function waitFor(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
