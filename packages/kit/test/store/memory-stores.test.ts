import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../../src/clock.ts';
import { createMemoryStores } from '../../src/store/memory-stores.ts';
import { openStores } from '../../src/store/open-stores.ts';
import { describeStoreContract } from './store-contract.ts';

describeStoreContract(
  'memory',
  async ({ logger }) => {
    const clock = new ManualClock();
    const stores = createMemoryStores({ clock, logger });
    return {
      stores,
      now: () => clock.now().getTime(),
      elapse: async (ms) => clock.advance(ms),
      dispose: () => stores.close(),
    };
  },
  { windowMs: 200, toleranceMs: 0 },
);

void describe('memory stores', () => {
  void it('are what openStores picks without a Redis URL', async () => {
    const stores = openStores({});
    try {
      assert.equal(stores.kind, 'memory');
      await stores.kv.set('k', 'v');
      assert.equal(await stores.kv.get('k'), 'v');
    } finally {
      await stores.close();
    }
  });

  void it('expire a key exactly at its TTL on the injected clock', async () => {
    const clock = new ManualClock();
    const stores = createMemoryStores({ clock });
    try {
      await stores.kv.set('k', 'v', 1_000);
      const window = await stores.counters.increment('c', 1_000);
      assert.equal(window.resetAt, clock.now().getTime() + 1_000);
      clock.advance(999);
      assert.equal(await stores.kv.get('k'), 'v');
      assert.equal((await stores.counters.peek('c'))?.count, 1);
      clock.advance(1);
      assert.equal(await stores.kv.get('k'), null);
      assert.equal(await stores.counters.peek('c'), null);
    } finally {
      await stores.close();
    }
  });
});
