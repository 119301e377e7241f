import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createMemoryStores } from '@agora/kit/store/memory-stores';
import { startGateway, type TestGateway } from './support/gateway.ts';
import { closedPortUrl, startService, type FakeService } from './support/upstreams.ts';

type Json = Record<string, any>;

const identityDocument: Json = {
  openapi: '3.1.0',
  info: { title: 'Agora identity', version: '1.0.0' },
  tags: [{ name: 'auth' }],
  components: {
    securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    schemas: { 'def-0': { type: 'object', title: 'Session', properties: { accessToken: { type: 'string' } } } },
  },
  paths: {
    '/api/v1/auth/register': {
      post: {
        tags: ['auth'],
        requestBody: { content: { 'application/json': { schema: { type: 'object' } } } },
        responses: {
          201: { description: 'Signed up', content: { 'application/json': { schema: { $ref: '#/components/schemas/def-0' } } } },
          409: { description: 'Taken' },
        },
      },
    },
    '/api/v1/auth/me': { get: { security: [{ bearerAuth: [] }], responses: { 200: { description: 'Me' } } } },
    // Not routed to identity by the gateway: left out.
    '/internal/keys/rotate': { post: { responses: { 204: { description: 'Rotated' } } } },
    '/api/v1/users/{id}': { get: { responses: { 200: { description: 'Not identity\'s' } } } },
  },
};

const usersDocument: Json = {
  openapi: '3.1.0',
  info: { title: 'Agora users', version: '1.0.0' },
  components: {
    securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    // Same generated name as identity's, different schema.
    schemas: { 'def-0': { type: 'object', title: 'Profile', properties: { username: { type: 'string' } } } },
  },
  paths: {
    '/api/v1/users/{id}': {
      get: {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
        responses: { 200: { description: 'Profile', content: { 'application/json': { schema: { $ref: '#/components/schemas/def-0' } } } } },
      },
    },
    '/api/v1/users/{id}/followers': { get: { responses: { 200: { description: 'Followers' }, 429: { description: 'users\' own 429' } } } },
  },
};

describe('GET /openapi.json and /docs', () => {
  let identity: FakeService;
  let users: FakeService;
  let gateway: TestGateway;

  before(async () => {
    identity = await startService('identity', { openapi: identityDocument });
    users = await startService('users', { openapi: usersDocument });
    gateway = await startGateway({
      built: ['identity', 'users', 'posts'],
      // posts is built but down: its paths are simply missing.
      upstreams: { identity: identity.url, users: users.url, posts: await closedPortUrl() },
    });
  });

  after(async () => {
    await gateway.close();
    await identity.close();
    await users.close();
  });

  it('merges the paths and components of every running service with the platform routes', async () => {
    const response = await gateway.app.inject({ url: '/openapi.json' });
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-type']), /^application\/json/);
    const document = response.json<Json>();
    assert.equal(document['openapi'], '3.1.0');
    const paths = Object.keys(document['paths']).sort();
    assert.deepEqual(paths, [
      '/.well-known/jwks.json',
      '/api/v1/auth/me',
      '/api/v1/auth/register',
      '/api/v1/users/{id}',
      '/api/v1/users/{id}/followers',
      '/docs',
      '/health/live',
      '/health/ready',
      '/metrics',
      '/openapi.json',
    ]);
    assert.equal(document['paths']['/api/v1/users/{id}'].get.responses['200'].description, 'Profile', 'users owns its path');
    assert.deepEqual(document['components']['securitySchemes'], { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } });
    assert.deepEqual(document['tags'].map((tag: Json) => tag['name']).sort(), ['auth', 'platform']);
  });

  it('keeps clashing component names apart and their references right', async () => {
    const document = (await gateway.app.inject({ url: '/openapi.json' })).json<Json>();
    const schemas = document['components']['schemas'];
    assert.equal(schemas['def-0'].title, 'Session');
    assert.equal(schemas['users_def-0'].title, 'Profile');
    const register = document['paths']['/api/v1/auth/register'].post.responses['201'];
    assert.equal(register.content['application/json'].schema.$ref, '#/components/schemas/def-0');
    const profile = document['paths']['/api/v1/users/{id}'].get.responses['200'];
    assert.equal(profile.content['application/json'].schema.$ref, '#/components/schemas/users_def-0');
  });

  it('documents what the gateway answers in front of each operation, without overriding the service', async () => {
    const document = (await gateway.app.inject({ url: '/openapi.json' })).json<Json>();
    const register = document['paths']['/api/v1/auth/register'].post.responses;
    for (const status of ['400', '401', '413', '429', '503', '504']) assert.ok(register[status], `register ${status}`);
    assert.equal(register['409'].description, 'Taken');
    const me = document['paths']['/api/v1/auth/me'].get.responses;
    assert.equal(me['413'], undefined, 'no body, no 413');
    assert.equal(document['paths']['/api/v1/users/{id}/followers'].get.responses['429'].description, 'users\' own 429');
    assert.ok(document['components']['responses']['GatewayRateLimited'].headers['Retry-After']);
    // Every $ref resolves.
    const refs = JSON.stringify(document).match(/"\$ref":"#\/components\/[^"]+"/g) ?? [];
    for (const ref of refs) {
      const [, , section, name] = (JSON.parse(`{${ref}}`) as { $ref: string }).$ref.split('/') as [string, string, string, string];
      assert.ok(document['components'][section]?.[name], `dangling ${ref}`);
    }
  });

  it('serves the same document to Swagger UI', async () => {
    const merged = (await gateway.app.inject({ url: '/openapi.json' })).json<Json>();
    const ui = await gateway.app.inject({ url: '/docs/json' });
    assert.equal(ui.statusCode, 200);
    assert.deepEqual(ui.json(), merged);
    const page = await gateway.app.inject({ url: '/docs/' });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /swagger-ui/);
  });

  it('reuses the merged document instead of asking the services every time', async () => {
    await gateway.app.inject({ url: '/openapi.json' });
    const asked = identity.started();
    await Promise.all(Array.from({ length: 5 }, () => gateway.app.inject({ url: '/openapi.json' })));
    assert.equal(identity.started(), asked);
  });
});

describe('GET /health/live and /health/ready', () => {
  it('is ready only when every built service is ready', async () => {
    let usersReady = true;
    const identity = await startService('identity');
    const users = await startService('users', { ready: () => usersReady });
    const upstreams = { identity: identity.url, users: users.url };
    const gateway = await startGateway({ built: ['identity', 'users'], upstreams });
    try {
      const ready = await gateway.app.inject({ url: '/health/ready' });
      assert.equal(ready.statusCode, 200);
      assert.deepEqual(ready.json<Json>()['checks'], { stores: 'ok', bus: 'ok', identity: 'ok', users: 'ok' });

      usersReady = false;
      const notReady = await gateway.app.inject({ url: '/health/ready' });
      assert.equal(notReady.statusCode, 503);
      assert.match(notReady.json<Json>()['checks']['users'], /not ready/);

      usersReady = true;
      await users.close();
      const down = await gateway.app.inject({ url: '/health/ready' });
      assert.equal(down.statusCode, 503);
      assert.equal(down.json<Json>()['checks']['users'], 'unreachable');
      assert.equal((await gateway.app.inject({ url: '/health/live' })).statusCode, 200);
    } finally {
      await gateway.close();
      await identity.close();
    }
  });

  it('is not ready when its own stores fail, or a built service has no upstream', async () => {
    const identity = await startService('identity');
    const stores = createMemoryStores();
    const gateway = await startGateway({ built: ['identity', 'cart'], upstreams: { identity: identity.url }, stores });
    try {
      const missing = await gateway.app.inject({ url: '/health/ready' });
      assert.equal(missing.statusCode, 503);
      assert.equal(missing.json<Json>()['checks']['cart'], 'no upstream configured');
      await stores.close();
      const broken = await gateway.app.inject({ url: '/health/ready' });
      assert.notEqual(broken.json<Json>()['checks']['stores'], 'ok');
    } finally {
      await gateway.close();
      await identity.close();
    }
  });
});

describe('GET /metrics', () => {
  it('reports the gateway\'s RED metrics and upstream latency by service', async () => {
    const identity = await startService('identity');
    const gateway = await startGateway({ upstreams: { identity: identity.url } });
    try {
      await gateway.app.inject({ url: '/api/v1/auth/me' });
      await gateway.app.inject({ url: '/api/v1/orders' });
      const metrics = await gateway.app.inject({ url: '/metrics' });
      assert.equal(metrics.statusCode, 200);
      assert.match(metrics.body, /http_request_duration_seconds_count\{[^}]*route="\/api\/\*"[^}]*status_code="200"[^}]*\} 1/);
      assert.match(metrics.body, /gateway_upstream_duration_seconds_count\{[^}]*service="identity"[^}]*outcome="200"[^}]*\} 1/);
      assert.match(metrics.body, /gateway_proxied_request_duration_seconds_count\{[^}]*service="identity"[^}]*\} 1/);
      assert.match(metrics.body, /gateway_refused_requests_total\{[^}]*reason="service_not_available"[^}]*\} 1/);
    } finally {
      await gateway.close();
      await identity.close();
    }
  });
});
