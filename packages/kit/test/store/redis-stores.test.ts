import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { after, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { openStores } from '../../src/store/open-stores.ts';
import { createRedisStores, type RedisStoresOptions } from '../../src/store/redis-stores.ts';
import { createRevocationList } from '../../src/store/revocation.ts';
import type { Stores } from '../../src/store/types.ts';
import { describeStoreContract } from './store-contract.ts';

const url = process.env.REDIS_URL;
const skip = !url && 'REDIS_URL not set';
const run = `agora-test:stores:${randomUUID()}:`;
let tests = 0;
let admin: Redis | undefined;

const adminClient = (): Redis => (admin ??= new Redis(url ?? ''));
const freshPrefix = (): string => `${run}${++tests}:`;

async function deleteKeys(prefix: string): Promise<void> {
  const keys: string[] = [];
  for await (const batch of adminClient().scanStream({ match: `${prefix}*`, count: 500 })) keys.push(...(batch as string[]));
  if (keys.length > 0) await adminClient().del(...keys);
}

/** Opens stores under their own prefix and removes every key they wrote when disposed. */
async function openPrefixed(options: Partial<RedisStoresOptions> = {}): Promise<{ stores: Stores; prefix: string; dispose: () => Promise<void> }> {
  const prefix = options.keyPrefix ?? freshPrefix();
  const stores = createRedisStores({ url: url ?? '', ...options, keyPrefix: prefix });
  return {
    stores,
    prefix,
    dispose: async () => {
      await stores.close();
      await deleteKeys(prefix);
    },
  };
}

after(async () => {
  if (admin === undefined) return;
  await deleteKeys(run);
  await admin.quit();
});

describeStoreContract(
  'redis',
  async ({ logger }) => {
    const { stores, dispose } = await openPrefixed(logger ? { logger } : {});
    return {
      stores,
      now: () => Date.now(),
      elapse: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      dispose,
    };
  },
  { windowMs: 200, toleranceMs: 30, skip },
);

void describe('redis stores', { skip }, () => {
  void it('are what openStores picks when a Redis URL is set', async () => {
    const prefix = freshPrefix();
    const stores = openStores({ redisUrl: url, keyPrefix: prefix });
    try {
      assert.equal(stores.kind, 'redis');
      await stores.kv.set('k', 'v');
      assert.equal(await adminClient().get(`${prefix}k`), 'v');
    } finally {
      await stores.close();
      await deleteKeys(prefix);
    }
  });

  void it('keep everything under the key prefix, apart from other prefixes', async () => {
    const one = await openPrefixed();
    const two = await openPrefixed();
    try {
      await one.stores.kv.set('shared-name', 'one', 60_000);
      await one.stores.counters.increment('hits', 60_000);
      assert.equal(await adminClient().get(`${one.prefix}shared-name`), 'one');
      assert.equal(await adminClient().get(`${one.prefix}hits`), '1');
      const ttl = await adminClient().pttl(`${one.prefix}shared-name`);
      assert.ok(ttl > 59_000 && ttl <= 60_000, `PTTL ${ttl}`);

      assert.equal(await two.stores.kv.get('shared-name'), null);
      assert.equal(await two.stores.counters.peek('hits'), null);

      const heardByTwo: string[] = [];
      await two.stores.pubsub.subscribe('news', (m) => heardByTwo.push(m));
      const heardByOne: string[] = [];
      await one.stores.pubsub.subscribe('news', (m) => heardByOne.push(m));
      await one.stores.pubsub.publish('news', 'for one');
      await waitFor(() => heardByOne.length === 1);
      await new Promise((resolve) => setTimeout(resolve, 20));
      assert.deepEqual(heardByTwo, []);
    } finally {
      await one.dispose();
      await two.dispose();
    }
  });

  void it('share counters, revocations and messages between instances on one prefix', async () => {
    const prefix = freshPrefix();
    const a = await openPrefixed({ keyPrefix: prefix });
    const b = await openPrefixed({ keyPrefix: prefix });
    try {
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? a : b).stores.counters.increment('hits', 60_000)),
      );
      assert.deepEqual(
        results.map((r) => r.count).sort((x, y) => x - y),
        Array.from({ length: 40 }, (_, i) => i + 1),
      );

      await createRevocationList(a.stores.kv).revoke('sid-1', 60_000);
      assert.equal(await createRevocationList(b.stores.kv).isRevoked('sid-1'), true);

      const heard: string[] = [];
      await b.stores.pubsub.subscribe('invalidate', (m) => heard.push(m));
      await a.stores.pubsub.publish('invalidate', 'user:1');
      await waitFor(() => heard.length === 1);
      assert.deepEqual(heard, ['user:1']);
    } finally {
      await a.stores.close();
      await b.dispose();
    }
  });

  // A regression in these failure modes would hang rather than fail; the timeouts make it fail.
  void it('reject quickly when nothing listens on the port', { timeout: 5_000 }, async () => {
    const stores = createRedisStores({ url: 'redis://127.0.0.1:6390' });
    try {
      const started = Date.now();
      await assert.rejects(stores.ping());
      await assert.rejects(stores.counters.increment('hits', 1_000));
      await assert.rejects(stores.kv.get('k'));
      assert.ok(Date.now() - started < 2_000, `took ${Date.now() - started} ms`);
    } finally {
      await stores.close();
    }
  });

  void it('give up on a server that accepts connections but never answers', { timeout: 5_000 }, async () => {
    const sockets = new Set<Socket>();
    const silent: Server = createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => {});
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = silent.address();
    assert.ok(address !== null && typeof address === 'object');
    const stores = createRedisStores({ url: `redis://127.0.0.1:${address.port}`, commandTimeoutMs: 300 });
    try {
      const started = Date.now();
      await assert.rejects(stores.ping(), /timed out/i);
      await assert.rejects(stores.kv.get('k'), /timed out/i);
      assert.ok(Date.now() - started < 1_500, `took ${Date.now() - started} ms`);
    } finally {
      await stores.close();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  void it('recover both connections after Redis drops them', { timeout: 5_000 }, async () => {
    const name = `agora-test-${randomUUID()}`;
    const { stores, dispose } = await openPrefixed({ connectionName: name });
    try {
      const heard: string[] = [];
      await stores.pubsub.subscribe('events', (m) => heard.push(m));
      await stores.kv.set('k', 'before');

      const clients = String(await adminClient().client('LIST'));
      const ids = clients
        .split('\n')
        .filter((line) => line.includes(` name=${name} `) || line.includes(` name=${name}:sub `))
        .map((line) => /\bid=(\d+)/.exec(line)?.[1]);
      assert.equal(ids.length, 2, 'both connections are named');
      for (const id of ids) await adminClient().client('KILL', 'ID', String(id));

      assert.equal(await retry(() => stores.kv.get('k')), 'before');
      // The subscriber re-subscribes on its own after reconnecting; keep publishing until it hears.
      await waitFor(() => heard.length > 0, 3_000, () => stores.pubsub.publish('events', 'after'));
      assert.equal(heard[0], 'after');
    } finally {
      await dispose();
    }
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 2_000, poke?: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    if (poke) await poke().catch(() => {});
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function retry<T>(operation: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
