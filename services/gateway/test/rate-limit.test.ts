import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { createMemoryStores } from '@agora/kit/store/memory-stores';
import { startGateway, type TestGateway } from './support/gateway.ts';
import { startService, type FakeService } from './support/upstreams.ts';
import { createSigner, type Signer } from './support/tokens.ts';

const LIMIT = 3;

describe('per-client rate limits on /api/*', () => {
  let signer: Signer;
  let identity: FakeService;
  let gateway: TestGateway;

  const call = (options: { ip?: string; authorization?: string; url?: string; headers?: Record<string, string> } = {}) =>
    gateway.app.inject({
      method: 'GET',
      url: options.url ?? '/api/v1/auth/me',
      remoteAddress: options.ip ?? '10.0.0.1',
      headers: { ...(options.authorization ? { authorization: options.authorization } : {}), ...options.headers },
    });

  const spend = async (count: number, options: Parameters<typeof call>[0]): Promise<LightMyRequestResponse[]> => {
    const responses: LightMyRequestResponse[] = [];
    for (let index = 0; index < count; index += 1) responses.push(await call(options));
    return responses;
  };

  before(async () => {
    signer = await createSigner();
    identity = await startService('identity', { jwks: signer.jwks });
    gateway = await startGateway({ upstreams: { identity: identity.url }, env: { RATE_LIMIT_PER_MINUTE: String(LIMIT) } });
  });

  after(async () => {
    await gateway.close();
    await identity.close();
  });

  it('announces the budget on every response and refuses past it with 429 and Retry-After', async () => {
    const responses = await spend(LIMIT, { ip: '10.0.0.1' });
    assert.deepEqual(responses.map((response) => response.statusCode), [200, 200, 200]);
    assert.deepEqual(responses.map((response) => response.headers['ratelimit-remaining']), ['2', '1', '0']);
    for (const response of responses) {
      assert.equal(response.headers['ratelimit-limit'], String(LIMIT));
      const reset = Number(response.headers['ratelimit-reset']);
      assert.ok(reset >= 1 && reset <= 60, `reset ${reset}`);
    }
    const received = identity.received.length;
    const refused = await call({ ip: '10.0.0.1' });
    assert.equal(refused.statusCode, 429);
    assert.match(String(refused.headers['content-type']), /^application\/problem\+json/);
    assert.equal(refused.json<{ code: string }>().code, 'RATE_LIMITED');
    const retryAfter = Number(refused.headers['retry-after']);
    assert.ok(retryAfter >= 1 && retryAfter <= 60, `retry-after ${retryAfter}`);
    assert.equal(refused.headers['ratelimit-limit'], String(LIMIT));
    assert.equal(refused.headers['ratelimit-remaining'], '0');
    assert.ok(refused.headers['x-request-id']);
    assert.equal(identity.received.length, received, 'a refused request reached the service');
  });

  it('counts anonymous clients by IP, each on its own budget', async () => {
    await spend(LIMIT, { ip: '10.0.1.1' });
    assert.equal((await call({ ip: '10.0.1.1' })).statusCode, 429);
    assert.equal((await call({ ip: '10.0.1.2' })).statusCode, 200);
  });

  it('ignores X-Forwarded-For from clients when no proxy is trusted', async () => {
    const responses = await Promise.all(
      Array.from({ length: LIMIT + 1 }, (_, index) => call({ ip: '10.0.2.1', headers: { 'x-forwarded-for': `192.0.2.${index}` } })),
    );
    assert.equal(responses.filter((response) => response.statusCode === 429).length, 1);
  });

  it('counts signed-in callers by user, wherever they call from', async () => {
    const alice = `Bearer ${await signer.sign({ sub: '0190f5e4-0000-7000-8000-00000000a11c' })}`;
    const bob = `Bearer ${await signer.sign({ sub: '0190f5e4-0000-7000-8000-000000000b0b' })}`;
    await spend(LIMIT, { ip: '10.0.3.1', authorization: alice });
    assert.equal((await call({ ip: '10.0.3.2', authorization: alice })).statusCode, 429, 'same user, other IP');
    // The same IP, anonymously or as someone else, has its own budget.
    assert.equal((await call({ ip: '10.0.3.1', authorization: bob })).statusCode, 200);
    assert.equal((await call({ ip: '10.0.3.1' })).statusCode, 200);
    // A new token of the same user (another session) shares the user's budget.
    const aliceAgain = `Bearer ${await signer.sign({ sub: '0190f5e4-0000-7000-8000-00000000a11c' })}`;
    assert.equal((await call({ ip: '10.0.3.3', authorization: aliceAgain })).statusCode, 429);
  });

  it('counts requests with bad tokens against the IP before refusing them', async () => {
    const responses = await spend(LIMIT, { ip: '10.0.4.1', authorization: 'Bearer forged' });
    assert.deepEqual(responses.map((response) => response.statusCode), [401, 401, 401]);
    assert.equal(responses[2]!.headers['ratelimit-remaining'], '0');
    assert.equal((await call({ ip: '10.0.4.1', authorization: 'Bearer forged' })).statusCode, 429);
    assert.equal((await call({ ip: '10.0.4.1' })).statusCode, 429, 'anonymous from that IP shares the budget');
  });

  it('counts unknown /api paths but not platform routes', async () => {
    const unknown = await call({ ip: '10.0.5.1', url: '/api/v9/nothing' });
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.headers['ratelimit-remaining'], String(LIMIT - 1));
    for (let index = 0; index < LIMIT + 2; index += 1) {
      const health = await call({ ip: '10.0.5.1', url: '/health/live' });
      assert.equal(health.statusCode, 200);
      assert.equal(health.headers['ratelimit-limit'], undefined);
    }
  });
});

describe('rate limits behind a trusted proxy', () => {
  it('counts by the X-Forwarded-For client the trusted hop reports', async () => {
    const identity = await startService('identity');
    const gateway = await startGateway({ upstreams: { identity: identity.url }, env: { RATE_LIMIT_PER_MINUTE: '1', TRUST_PROXY: '10.9.9.9' } });
    try {
      const via = (client: string) =>
        gateway.app.inject({ url: '/api/v1/auth/me', remoteAddress: '10.9.9.9', headers: { 'x-forwarded-for': client } });
      assert.equal((await via('198.51.100.1')).statusCode, 200);
      assert.equal((await via('198.51.100.1')).statusCode, 429);
      assert.equal((await via('198.51.100.2')).statusCode, 200);
      const echoed = (await via('198.51.100.3')).json<{ headers: Record<string, string> }>();
      assert.equal(echoed.headers['x-forwarded-for'], '198.51.100.3');
    } finally {
      await gateway.close();
      await identity.close();
    }
  });
});

describe('rate limits when the store is down', () => {
  it('serves the request without limits and counts the failure', async () => {
    const identity = await startService('identity');
    const stores = createMemoryStores();
    const gateway = await startGateway({ upstreams: { identity: identity.url }, env: { RATE_LIMIT_PER_MINUTE: '1' }, stores });
    try {
      await stores.close();
      for (let index = 0; index < 3; index += 1) {
        const response = await gateway.app.inject({ url: '/api/v1/auth/me' });
        assert.equal(response.statusCode, 200);
        assert.equal(response.headers['ratelimit-limit'], undefined);
      }
      const metrics = await gateway.app.inject({ url: '/metrics' });
      assert.match(metrics.body, /gateway_rate_limit_store_errors_total\{[^}]*\} 3/);
    } finally {
      await gateway.close();
      await identity.close();
    }
  });
});
