import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMemoryStores } from '../../src/store/memory-stores.ts';
import { checkRateLimit, rateLimitHeaders } from '../../src/store/rate-limit.ts';

void describe('rateLimitHeaders', () => {
  void it('announces limit, remaining and reset on an allowed request', () => {
    assert.deepEqual(rateLimitHeaders({ allowed: true, limit: 100, remaining: 42, resetSeconds: 17 }), {
      'RateLimit-Limit': '100',
      'RateLimit-Remaining': '42',
      'RateLimit-Reset': '17',
    });
  });

  void it('adds Retry-After on a refused request', () => {
    assert.deepEqual(rateLimitHeaders({ allowed: false, limit: 5, remaining: 0, resetSeconds: 30, retryAfterSeconds: 30 }), {
      'RateLimit-Limit': '5',
      'RateLimit-Remaining': '0',
      'RateLimit-Reset': '30',
      'Retry-After': '30',
    });
  });
});

void describe('checkRateLimit', () => {
  void it('refuses a limit or window that is not positive, without counting', async () => {
    const stores = createMemoryStores();
    try {
      await assert.rejects(checkRateLimit(stores.counters, 'k', 0, 1_000), RangeError);
      await assert.rejects(checkRateLimit(stores.counters, 'k', 1.5, 1_000), RangeError);
      await assert.rejects(checkRateLimit(stores.counters, 'k', 10, 0), RangeError);
      assert.equal(await stores.counters.peek('k'), null);
    } finally {
      await stores.close();
    }
  });
});
