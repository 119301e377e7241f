import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { startGateway, type TestGateway } from './support/gateway.ts';
import { eventStream, startService, type FakeService } from './support/upstreams.ts';

const withTimeout = async <T>(promise: Promise<T>, ms: number, what: string): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
};

describe('text/event-stream through the gateway', () => {
  let stream: ReturnType<typeof eventStream>;
  let identity: FakeService;
  let gateway: TestGateway;
  let url: string;

  before(async () => {
    stream = eventStream();
    identity = await startService('identity', { routes: stream.routes });
    // A short upstream timeout: an open stream must outlive it while quiet between events.
    gateway = await startGateway({ upstreams: { identity: identity.url }, env: { UPSTREAM_TIMEOUT_MS: '200' } });
    url = await gateway.listen();
  });

  after(async () => {
    stream.release();
    await gateway.close();
    await identity.close();
  });

  it('delivers the first event before the stream ends, then the rest', async () => {
    const response = await fetch(`${url}/api/v1/auth/events`, { headers: { accept: 'text/event-stream', 'accept-encoding': 'gzip, br' } });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
    assert.equal(response.headers.get('content-encoding'), null, 'an event stream must not be compressed');
    assert.equal(response.headers.get('x-accel-buffering'), 'no');
    assert.ok(response.headers.get('x-request-id'));
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();

    const first = await withTimeout(reader.read(), 2_000, 'the first event');
    assert.equal(stream.hasEnded(), false, 'the upstream stream already ended');
    assert.match(decoder.decode(first.value), /data: first/);

    // Quiet for longer than UPSTREAM_TIMEOUT_MS: the stream must stay open.
    await sleep(400);
    stream.release();
    let rest = '';
    for (;;) {
      const { done, value } = await withTimeout(reader.read(), 2_000, 'the rest of the stream');
      if (done) break;
      rest += decoder.decode(value);
    }
    assert.match(rest, /data: second/);
  });
});

describe('a response body that stalls', () => {
  it('is cut after UPSTREAM_TIMEOUT_MS of silence when it is not an event stream', async () => {
    const identity = await startService('identity', {
      routes: (app) => {
        app.get('/api/v1/auth/stall', (_request, reply) => {
          reply.hijack();
          reply.raw.writeHead(200, { 'content-type': 'application/json' });
          reply.raw.write('{"partial":');
          // …and never finishes.
        });
      },
    });
    const gateway = await startGateway({ upstreams: { identity: identity.url }, env: { UPSTREAM_TIMEOUT_MS: '200' } });
    try {
      const url = await gateway.listen();
      const response = await fetch(`${url}/api/v1/auth/stall`);
      assert.equal(response.status, 200);
      await assert.rejects(withTimeout(response.text(), 3_000, 'the cut'), (error: Error) => !/did not happen/.test(error.message));
    } finally {
      await gateway.close();
      await identity.close();
    }
  });
});

describe('closing the gateway', () => {
  it('cuts open event streams and lets keep-alive clients go, instead of waiting on them', async () => {
    const stream = eventStream();
    const identity = await startService('identity', { routes: stream.routes });
    const gateway = await startGateway({ upstreams: { identity: identity.url } });
    try {
      const url = await gateway.listen();
      // A keep-alive connection that has finished its request, and a stream that never ends.
      assert.equal((await fetch(`${url}/health/live`)).status, 200);
      const response = await fetch(`${url}/api/v1/auth/events`);
      const reader = response.body!.getReader();
      await withTimeout(reader.read(), 2_000, 'the first event');
      const started = Date.now();
      await withTimeout(gateway.app.close(), 3_000, 'close');
      assert.ok(Date.now() - started < 3_000);
      await assert.rejects(withTimeout(reader.read(), 2_000, 'the cut'), (error: Error) => !/did not happen/.test(error.message));
    } finally {
      stream.release();
      await gateway.close();
      await identity.close();
    }
  });
});
