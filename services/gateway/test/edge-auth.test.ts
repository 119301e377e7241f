import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { newId } from '@agora/kit/ids';
import { createRevocationList } from '@agora/kit/store/revocation';
import { createMemoryStores } from '@agora/kit/store/memory-stores';
import { createLogger } from '@agora/kit/logger';
import { ManualClock } from '@agora/kit/clock';
import type { EventEnvelope } from '@agora/kit/bus/types';
import { startGateway, type TestGateway } from './support/gateway.ts';
import { closedPortUrl, startService, type EchoReply, type FakeService } from './support/upstreams.ts';
import { createSigner, publicKeyHmacToken, tamper, unsignedToken, type Signer } from './support/tokens.ts';
import { sessionRevokedHandler } from '../src/consumers/session-revoked.consumer.ts';

const sessionRevoked = (data: Record<string, unknown>): EventEnvelope => ({
  id: newId(),
  type: 'session.revoked',
  version: 1,
  occurredAt: new Date().toISOString(),
  producer: 'identity',
  correlationId: newId(),
  data,
});

describe('edge authentication', () => {
  let signer: Signer;
  let identity: FakeService;
  let gateway: TestGateway;

  const get = (authorization?: string) =>
    gateway.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: authorization === undefined ? {} : { authorization } });

  before(async () => {
    signer = await createSigner();
    identity = await startService('identity', { jwks: signer.jwks });
    gateway = await startGateway({ upstreams: { identity: identity.url } });
  });

  after(async () => {
    await gateway.close();
    await identity.close();
  });

  it('lets a request without a token through', async () => {
    const response = await get();
    assert.equal(response.statusCode, 200);
  });

  it('lets a valid token through and forwards Authorization as sent', async () => {
    const token = await signer.sign();
    const response = await get(`Bearer ${token}`);
    assert.equal(response.statusCode, 200);
    assert.equal(response.json<EchoReply>().headers['authorization'], `Bearer ${token}`);
  });

  it('refuses bad tokens with 401 problem+json before they reach a service', async () => {
    const valid = await signer.sign();
    const cases: [string, string, string][] = [
      ['tampered', `Bearer ${tamper(valid)}`, 'AUTH.INVALID_TOKEN'],
      ['alg none', `Bearer ${unsignedToken()}`, 'AUTH.INVALID_TOKEN'],
      ['HS256 signed with the public key', `Bearer ${await publicKeyHmacToken(signer.publicKeyPem)}`, 'AUTH.INVALID_TOKEN'],
      ['expired', `Bearer ${await signer.sign({ expiresIn: -60, issuedAgo: 700 })}`, 'AUTH.TOKEN_EXPIRED'],
      ['garbage', 'Bearer not.a.jwt', 'AUTH.INVALID_TOKEN'],
      ['another scheme', `Basic ${Buffer.from('a:b').toString('base64')}`, 'AUTH.INVALID_TOKEN'],
      ['no token after the scheme', 'Bearer', 'AUTH.INVALID_TOKEN'],
      ['signed by another key', `Bearer ${await (await createSigner()).sign()}`, 'AUTH.INVALID_TOKEN'],
    ];
    const before = identity.received.length;
    for (const [name, authorization, code] of cases) {
      const response = await get(authorization);
      assert.equal(response.statusCode, 401, name);
      assert.match(String(response.headers['content-type']), /^application\/problem\+json/, name);
      assert.equal(response.json<{ code: string }>().code, code, name);
    }
    assert.equal(identity.received.length, before, 'a refused request reached the service');
  });

  it('publishes identity\'s signing keys at /.well-known/jwks.json', async () => {
    const response = await gateway.app.inject({ url: '/.well-known/jwks.json' });
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), signer.jwks);
  });

  it('refuses a token whose session is on the revocation list', async () => {
    const sid = randomUUID();
    const token = await signer.sign({ sid });
    assert.equal((await get(`Bearer ${token}`)).statusCode, 200);
    await createRevocationList(gateway.stores.kv).revoke(sid, 60_000);
    const response = await get(`Bearer ${token}`);
    assert.equal(response.statusCode, 401);
    assert.equal(response.json<{ code: string }>().code, 'AUTH.SESSION_REVOKED');
  });

  it('refuses a session once its session.revoked event arrives on the bus', async () => {
    const sid = randomUUID();
    const sub = randomUUID();
    const token = await signer.sign({ sid, sub });
    assert.equal((await get(`Bearer ${token}`)).statusCode, 200);
    await gateway.bus.publish(
      sessionRevoked({ sessionId: sid, userId: sub, reason: 'logout', revokeUntil: new Date(Date.now() + 10 * 60_000).toISOString() }),
    );
    let status = 200;
    for (let attempt = 0; attempt < 50 && status === 200; attempt += 1) {
      await sleep(20);
      status = (await get(`Bearer ${token}`)).statusCode;
    }
    assert.equal(status, 401);
    // Other sessions of other users are untouched.
    assert.equal((await get(`Bearer ${await signer.sign()}`)).statusCode, 200);
  });

  it('answers 503, not 500, when signing keys cannot be fetched', async () => {
    const orphan = await startGateway({ upstreams: { identity: await closedPortUrl() } });
    try {
      const response = await orphan.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${await signer.sign()}` } });
      assert.equal(response.statusCode, 503);
      assert.equal(response.json<{ code: string }>().code, 'AUTH.KEYS_UNAVAILABLE');
    } finally {
      await orphan.close();
    }
  });

  it('fails closed with 503 when the revocation list cannot be read', async () => {
    const stores = createMemoryStores();
    const broken = await startGateway({ upstreams: { identity: identity.url }, stores });
    try {
      // Warm the key cache, then lose the store.
      assert.equal((await broken.app.inject({ url: '/api/v1/auth/me', headers: { authorization: `Bearer ${await signer.sign()}` } })).statusCode, 200);
      await stores.close();
      const response = await broken.app.inject({ url: '/api/v1/auth/me', headers: { authorization: `Bearer ${await signer.sign()}` } });
      assert.equal(response.statusCode, 503);
      assert.equal(response.json<{ code: string }>().code, 'GATEWAY.AUTH_UNAVAILABLE');
      // Anonymous requests are still served (the rate limiter fails open).
      assert.equal((await broken.app.inject({ url: '/api/v1/auth/me' })).statusCode, 200);
    } finally {
      await broken.close();
    }
  });
});

describe('session.revoked consumer', () => {
  const logger = createLogger('test', 'silent');

  it('remembers the session until revokeUntil, no longer than a token can live', async () => {
    const clock = new ManualClock();
    const stores = createMemoryStores({ clock });
    const revocations = createRevocationList(stores.kv);
    const handle = sessionRevokedHandler({ revocations, clock, logger });
    const sid = randomUUID();
    const revokeUntil = new Date(clock.now().getTime() + 5 * 60_000).toISOString();
    const delivery = { envelope: sessionRevoked({ sessionId: sid, userId: randomUUID(), reason: 'password_changed', revokeUntil }), headers: {}, attempt: 1 };
    await handle(delivery);
    await handle(delivery); // a redelivery changes nothing
    assert.equal(await revocations.isRevoked(sid), true);
    clock.advance(5 * 60_000 - 1);
    assert.equal(await revocations.isRevoked(sid), true);
    clock.advance(2);
    assert.equal(await revocations.isRevoked(sid), false);

    const farSid = randomUUID();
    const far = new Date(clock.now().getTime() + 24 * 3_600_000).toISOString();
    await handle({ envelope: sessionRevoked({ sessionId: farSid, userId: randomUUID(), reason: 'logout', revokeUntil: far }), headers: {}, attempt: 1 });
    clock.advance(17 * 60_000);
    assert.equal(await revocations.isRevoked(farSid), false, 'kept past the longest token life');
    await stores.close();
  });

  it('ignores a revocation whose tokens have all expired', async () => {
    const stores = createMemoryStores();
    const revocations = createRevocationList(stores.kv);
    const sid = randomUUID();
    const past = new Date(Date.now() - 1_000).toISOString();
    await sessionRevokedHandler({ revocations, clock: { now: () => new Date() }, logger })({
      envelope: sessionRevoked({ sessionId: sid, userId: randomUUID(), reason: 'logout', revokeUntil: past }),
      headers: {},
      attempt: 1,
    });
    assert.equal(await revocations.isRevoked(sid), false);
    await stores.close();
  });

  it('throws on an event that breaks the schema, so the bus dead-letters it', async () => {
    const stores = createMemoryStores();
    const handle = sessionRevokedHandler({ revocations: createRevocationList(stores.kv), clock: { now: () => new Date() }, logger });
    for (const data of [{}, { sessionId: 'not-a-uuid', userId: randomUUID(), reason: 'logout', revokeUntil: new Date().toISOString() }, { sessionId: randomUUID(), userId: randomUUID(), reason: 'bored', revokeUntil: 'soon' }]) {
      await assert.rejects(handle({ envelope: sessionRevoked(data), headers: {}, attempt: 1 }), /invalid session.revoked/);
    }
    await stores.close();
  });
});
