import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { Type } from 'typebox';
import { ACCESS_TOKEN_TTL_SECONDS, createAccessTokenVerifier } from '../../src/auth/access-token.ts';
import { ManualClock } from '../../src/clock.ts';
import { registerAuthentication, principalOf, requireRole, requireUser } from '../../src/http/auth.ts';
import type { HttpApp } from '../../src/http/app.ts';
import { StrictObject } from '../../src/http/schemas.ts';
import { createMemoryStores } from '../../src/store/memory-stores.ts';
import { createRevocationList, type RevocationList } from '../../src/store/revocation.ts';
import { createTestIssuer, segment, type TestIssuer } from '../auth/tokens.ts';
import { given as http, problemOf } from './support.ts';

interface Setup {
  app: HttpApp;
  clock: ManualClock;
  issuer: TestIssuer;
  revocations: RevocationList;
  bearer: (token: string) => { authorization: string };
}

function routes(app: HttpApp): void {
  app.get('/catalog', async (request) => ({ principal: request.principal }));
  app.post('/orders', { onRequest: requireUser, schema: { body: StrictObject({ quantity: Type.Integer({ minimum: 1 }) }) } }, async (request) => ({
    userId: principalOf(request).userId,
    quantity: request.body.quantity,
  }));
  app.get('/me', async (request) => principalOf(request));
  app.get('/admin/reports', { onRequest: requireRole('admin') }, async () => ({ reports: [] }));
  app.get('/listings/mine', { onRequest: requireRole('seller', 'admin') }, async () => ({ listings: [] }));
}

const given = {
  async setup(t: TestContext): Promise<Setup> {
    const clock = new ManualClock(new Date('2031-05-01T12:00:00Z'));
    const stores = createMemoryStores({ clock });
    t.after(() => stores.close());
    const issuer = await createTestIssuer(clock);
    const revocations = createRevocationList(stores.kv);
    const verifier = createAccessTokenVerifier({ keys: issuer.keys, revocations, clock });
    const app = await http.app(t, (app) => {
      registerAuthentication(app, verifier);
      routes(app);
    });
    return { app, clock, issuer, revocations, bearer: (token) => ({ authorization: `Bearer ${token}` }) };
  },
};

void describe('authentication on request', () => {
  void it('lets an anonymous caller use a public route, with no principal', async (t) => {
    const { app } = await given.setup(t);
    const response = await app.inject({ url: '/catalog' });
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), { principal: null });
  });

  void it('gives the handler the principal of a valid token', async (t) => {
    const { app, issuer, bearer } = await given.setup(t);
    const token = await issuer.sign({ sub: 'user-3', sid: 'session-3', roles: ['user'] });
    const response = await app.inject({ url: '/catalog', headers: bearer(token) });
    assert.deepEqual(response.json(), { principal: { userId: 'user-3', sessionId: 'session-3', roles: ['user'] } });
    const lowerCase = await app.inject({ url: '/me', headers: { authorization: `bearer ${token}` } });
    assert.equal(lowerCase.json().userId, 'user-3');
  });

  void it('refuses a bad token with 401 AUTH.INVALID_TOKEN even on a public route', async (t) => {
    const { app, issuer, bearer } = await given.setup(t);
    const unsigned = `${segment({ alg: 'none' })}.${segment(issuer.claims({ roles: ['admin'] }))}.`;
    for (const headers of [bearer(unsigned), bearer('garbage'), { authorization: 'Basic dXNlcjpwYXNz' }, { authorization: 'Bearer' }, { authorization: 'Bearer a b' }]) {
      const response = await app.inject({ url: '/catalog', headers: { ...headers, 'x-request-id': 'auth-1' } });
      assert.equal(problemOf(response, 401).code, 'AUTH.INVALID_TOKEN', headers.authorization);
      assert.equal(response.headers['x-request-id'], 'auth-1');
    }
  });

  void it('refuses an expired token with 401 AUTH.TOKEN_EXPIRED', async (t) => {
    const { app, clock, issuer, bearer } = await given.setup(t);
    const token = await issuer.sign();
    assert.equal((await app.inject({ url: '/me', headers: bearer(token) })).statusCode, 200);
    clock.advance((ACCESS_TOKEN_TTL_SECONDS + 1) * 1000);
    assert.equal(problemOf(await app.inject({ url: '/me', headers: bearer(token) }), 401).code, 'AUTH.TOKEN_EXPIRED');
  });

  void it('refuses the token of a revoked session with 401 AUTH.SESSION_REVOKED', async (t) => {
    const { app, issuer, revocations, bearer } = await given.setup(t);
    const token = await issuer.sign({ sid: 'session-gone' });
    assert.equal((await app.inject({ url: '/me', headers: bearer(token) })).statusCode, 200);
    await revocations.revoke('session-gone', ACCESS_TOKEN_TTL_SECONDS * 1000);
    assert.equal(problemOf(await app.inject({ url: '/catalog', headers: bearer(token) }), 401).code, 'AUTH.SESSION_REVOKED');
  });
});

void describe('requireUser', () => {
  void it('refuses an anonymous caller with 401 AUTH.REQUIRED', async (t) => {
    const { app } = await given.setup(t);
    const response = await app.inject({ method: 'POST', url: '/orders', payload: { quantity: 1 } });
    assert.equal(problemOf(response, 401).code, 'AUTH.REQUIRED');
    assert.equal(problemOf(await app.inject({ url: '/me' }), 401).code, 'AUTH.REQUIRED');
  });

  void it('answers an anonymous caller 401, not 400, when the body is invalid too', async (t) => {
    const { app } = await given.setup(t);
    const invalid = await app.inject({ method: 'POST', url: '/orders', payload: { quantity: 'many', admin: true } });
    assert.equal(problemOf(invalid, 401).code, 'AUTH.REQUIRED');
    const malformed = await app.inject({ method: 'POST', url: '/orders', headers: { 'content-type': 'application/json' }, payload: '{"quantity":' });
    assert.equal(problemOf(malformed, 401).code, 'AUTH.REQUIRED');
  });

  void it('validates the body of a signed-in caller and runs the handler', async (t) => {
    const { app, issuer, bearer } = await given.setup(t);
    const headers = bearer(await issuer.sign({ sub: 'user-5' }));
    const invalid = await app.inject({ method: 'POST', url: '/orders', headers, payload: { quantity: 'many' } });
    assert.equal(problemOf(invalid, 400).code, 'VALIDATION.FAILED');
    const valid = await app.inject({ method: 'POST', url: '/orders', headers, payload: { quantity: 2 } });
    assert.equal(valid.statusCode, 200, valid.body);
    assert.deepEqual(valid.json(), { userId: 'user-5', quantity: 2 });
  });
});

void describe('requireRole', () => {
  void it('refuses an anonymous caller with 401 AUTH.REQUIRED', async (t) => {
    const { app } = await given.setup(t);
    assert.equal(problemOf(await app.inject({ url: '/admin/reports' }), 401).code, 'AUTH.REQUIRED');
  });

  void it('refuses a signed-in caller without the role with 403 AUTH.FORBIDDEN', async (t) => {
    const { app, issuer, bearer } = await given.setup(t);
    const headers = bearer(await issuer.sign({ roles: ['user', 'seller'] }));
    assert.equal(problemOf(await app.inject({ url: '/admin/reports', headers }), 403).code, 'AUTH.FORBIDDEN');
    assert.equal(problemOf(await app.inject({ url: '/listings/mine', headers: bearer(await issuer.sign({ roles: ['user'] })) }), 403).code, 'AUTH.FORBIDDEN');
  });

  void it('lets in a caller holding any one of the roles', async (t) => {
    const { app, issuer, bearer } = await given.setup(t);
    assert.equal((await app.inject({ url: '/admin/reports', headers: bearer(await issuer.sign({ roles: ['admin'] })) })).statusCode, 200);
    assert.equal((await app.inject({ url: '/listings/mine', headers: bearer(await issuer.sign({ roles: ['user', 'seller'] })) })).statusCode, 200);
    assert.equal((await app.inject({ url: '/listings/mine', headers: bearer(await issuer.sign({ roles: ['admin'] })) })).statusCode, 200);
  });
});
