import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { given } from './support.ts';

/** A promise with its resolver outside, to hold a readiness check or wait for a hook. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

void describe('GET /health/live', () => {
  void it('answers 200 while the process runs, whatever the readiness checks say', async (t) => {
    const app = await given.app(t, undefined, { readiness: { db: () => Promise.reject(new Error('down')) } });
    const response = await app.inject({ url: '/health/live' });
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), { status: 'ok' });
  });
});

void describe('GET /health/ready', () => {
  void it('answers 200 with every check reported ok', async (t) => {
    const app = await given.app(t, undefined, { readiness: { db: async () => {}, broker: async () => {} } });
    const response = await app.inject({ url: '/health/ready' });
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), { status: 'ok', checks: { db: 'ok', broker: 'ok' } });
  });

  void it('answers 503 naming the failing check and its error', async (t) => {
    const app = await given.app(t, undefined, {
      readiness: { db: async () => {}, broker: () => Promise.reject(new Error('connection refused')) },
    });
    const response = await app.inject({ url: '/health/ready' });
    assert.equal(response.statusCode, 503);
    assert.deepEqual(response.json(), { status: 'unavailable', checks: { db: 'ok', broker: 'connection refused' } });
  });

  void it('answers 503 when a check does not answer within 2 seconds', { timeout: 5_000 }, async (t) => {
    const stuck = deferred();
    const app = await given.app(t, undefined, {
      readiness: {
        db: async () => {},
        broker: () => {
          stuck.resolve();
          return new Promise<void>(() => {});
        },
      },
    });
    mock.timers.enable({ apis: ['setTimeout'] });
    t.after(() => mock.timers.reset());
    let settled = false;
    const pending = app.inject({ url: '/health/ready' }).finally(() => (settled = true));
    await stuck.promise;
    mock.timers.tick(1_999);
    await nextTurn();
    assert.equal(settled, false, 'still waiting just before the timeout');
    mock.timers.tick(1);
    const response = await pending;
    assert.equal(response.statusCode, 503);
    assert.deepEqual(response.json(), { status: 'unavailable', checks: { db: 'ok', broker: 'timed out' } });
  });

  void it('answers 503 once the app has begun to close, even when every check passes', async (t) => {
    const held = deferred();
    const release = deferred();
    const closeBegan = deferred();
    const app = await given.app(
      t,
      // Registered after the chassis' own preClose hook, so it runs once closing is flagged.
      (app) => app.addHook('preClose', async () => closeBegan.resolve()),
      {
        readiness: {
          db: async () => {
            held.resolve();
            await release.promise;
          },
        },
      },
    );
    const inFlight = app.inject({ url: '/health/ready' });
    await held.promise;
    const closing = app.close();
    await closeBegan.promise;
    release.resolve();
    const response = await inFlight;
    await closing;
    assert.equal(response.statusCode, 503);
    assert.deepEqual(response.json(), { status: 'unavailable', checks: { db: 'ok' } });
  });
});
