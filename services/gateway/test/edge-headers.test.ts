import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { startGateway, type TestGateway } from './support/gateway.ts';
import { startService, type EchoReply, type FakeService } from './support/upstreams.ts';
import { API_CSP, DOCS_CSP } from '../src/plugins/security-headers.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function assertSecurityHeaders(response: LightMyRequestResponse, csp: string, what: string): void {
  assert.equal(response.headers['x-content-type-options'], 'nosniff', what);
  assert.equal(response.headers['x-frame-options'], 'DENY', what);
  assert.equal(response.headers['referrer-policy'], 'no-referrer', what);
  assert.equal(response.headers['content-security-policy'], csp, what);
  assert.match(String(response.headers['strict-transport-security']), /^max-age=\d{8,}; includeSubDomains$/, what);
  assert.ok(response.headers['cross-origin-resource-policy'], what);
  assert.equal(response.headers['x-powered-by'], undefined, what);
  assert.equal(response.headers['server'], undefined, what);
}

describe('headers at the edge', () => {
  let identity: FakeService;
  let gateway: TestGateway;

  before(async () => {
    identity = await startService('identity', {
      routes: (app) => {
        app.get('/api/v1/auth/avatar.png', async (_request, reply) => reply.type('image/png').header('server', 'nginx').send(Buffer.from([0x89, 0x50])));
      },
    });
    gateway = await startGateway({ upstreams: { identity: identity.url } });
  });

  after(async () => {
    await gateway.close();
    await identity.close();
  });

  describe('security headers', () => {
    it('are on proxied responses, the gateway\'s own answers and its errors', async () => {
      const cases: [string, string][] = [
        ['/api/v1/auth/me', 'proxied'],
        ['/api/v1/orders', '503'],
        ['/nowhere', '404'],
        ['/health/live', 'platform'],
        ['/openapi.json', 'document'],
        ['/metrics', 'metrics'],
      ];
      for (const [url, what] of cases) {
        assertSecurityHeaders(await gateway.app.inject({ url }), API_CSP, what);
      }
      const refused = await gateway.app.inject({ url: '/api/v1/auth/me', headers: { authorization: 'Bearer x' } });
      assert.equal(refused.statusCode, 401);
      assertSecurityHeaders(refused, API_CSP, '401');
    });

    it('give Swagger UI a relaxed CSP of its own', async () => {
      for (const url of ['/docs', '/docs/', '/docs/static/swagger-ui.css']) {
        const response = await gateway.app.inject({ url });
        assert.ok(response.statusCode < 400, `${url} ${response.statusCode}`);
        assertSecurityHeaders(response, DOCS_CSP, url);
      }
    });

    it('let media be embedded cross-origin and keep everything else same-origin', async () => {
      const image = await gateway.app.inject({ url: '/api/v1/auth/avatar.png' });
      assert.equal(image.headers['cross-origin-resource-policy'], 'cross-origin');
      assert.equal(image.headers['server'], undefined);
      const json = await gateway.app.inject({ url: '/api/v1/auth/me' });
      assert.equal(json.headers['cross-origin-resource-policy'], 'same-origin');
    });
  });

  describe('X-Request-Id', () => {
    it('echoes a sane id the client sent and forwards it upstream', async () => {
      const response = await gateway.app.inject({ url: '/api/v1/auth/me', headers: { 'x-request-id': 'trace-abc.123:4' } });
      assert.equal(response.headers['x-request-id'], 'trace-abc.123:4');
      assert.equal(response.json<EchoReply>().headers['x-request-id'], 'trace-abc.123:4');
    });

    it('replaces an unsafe or missing id with a fresh one, on every kind of response', async () => {
      for (const headers of [{}, { 'x-request-id': 'has spaces and <html>' }, { 'x-request-id': 'x'.repeat(500) }]) {
        for (const url of ['/api/v1/auth/me', '/nowhere', '/health/live']) {
          const response = await gateway.app.inject({ url, headers });
          assert.match(String(response.headers['x-request-id']), UUID, url);
        }
      }
      const proxied = await gateway.app.inject({ url: '/api/v1/auth/me', headers: { 'x-request-id': 'bad id' } });
      assert.equal(proxied.json<EchoReply>().headers['x-request-id'], proxied.headers['x-request-id']);
    });
  });

  describe('CORS', () => {
    it('answers a preflight without reaching a service', async () => {
      const before = identity.started();
      const response = await gateway.app.inject({
        method: 'OPTIONS',
        url: '/api/v1/auth/login',
        headers: { origin: 'https://app.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
      });
      assert.equal(response.statusCode, 204);
      assert.equal(response.headers['access-control-allow-origin'], '*');
      assert.match(String(response.headers['access-control-allow-methods']), /POST/);
      assert.match(String(response.headers['access-control-allow-headers']), /authorization/i);
      assert.equal(response.headers['access-control-max-age'], '600');
      assert.equal(response.headers['ratelimit-limit'], undefined);
      assert.equal(identity.started(), before);
    });

    it('exposes the request id and rate-limit headers to browsers', async () => {
      const response = await gateway.app.inject({ url: '/api/v1/auth/me', headers: { origin: 'https://app.example' } });
      assert.equal(response.headers['access-control-allow-origin'], '*');
      const exposed = String(response.headers['access-control-expose-headers']).toLowerCase().split(/,\s*/);
      for (const name of ['x-request-id', 'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset', 'retry-after']) assert.ok(exposed.includes(name), name);
    });

    it('allows only the configured origins when CORS_ORIGINS lists them', async () => {
      const strict = await startGateway({ upstreams: { identity: identity.url }, env: { CORS_ORIGINS: 'https://app.example, https://admin.example' } });
      try {
        const preflight = (origin: string) =>
          strict.app.inject({ method: 'OPTIONS', url: '/api/v1/auth/login', headers: { origin, 'access-control-request-method': 'POST' } });
        assert.equal((await preflight('https://admin.example')).headers['access-control-allow-origin'], 'https://admin.example');
        assert.equal((await preflight('https://evil.example')).headers['access-control-allow-origin'], undefined);
        const simple = await strict.app.inject({ url: '/api/v1/auth/me', headers: { origin: 'https://app.example' } });
        assert.equal(simple.headers['access-control-allow-origin'], 'https://app.example');
        assert.match(String(simple.headers['vary']), /origin/i);
      } finally {
        await strict.close();
      }
    });
  });
});
