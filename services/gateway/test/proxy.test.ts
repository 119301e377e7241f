import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startGateway, type TestGateway } from './support/gateway.ts';
import { closedPortUrl, slowRoutes, startService, type EchoReply, type FakeService } from './support/upstreams.ts';
import { rawRequest } from './support/http.ts';

const echoed = async (response: Response): Promise<EchoReply> => (await response.json()) as EchoReply;

describe('proxying /api/* to the services', () => {
  let identity: FakeService;
  let posts: FakeService;
  let comments: FakeService;
  let likes: FakeService;
  let gateway: TestGateway;
  let url: string;

  before(async () => {
    identity = await startService('identity', {
      routes: (app) => {
        // An identity whose JWKS answers: a token no key matches is the caller's fault (401),
        // while a JWKS that can't be had is identity's outage (503).
        app.get('/.well-known/jwks.json', async () => ({ keys: [] }));
        app.post('/api/v1/auth/register', async (_request, reply) =>
          reply
            .status(409)
            .type('application/problem+json')
            .send('{"type":"/problems/auth.email_taken","title":"Email taken","status":409,"code":"AUTH.EMAIL_TAKEN"}'),
        );
        app.get('/api/v1/auth/leaky', async (_request, reply) =>
          reply
            .headers({
              server: 'upstream/1.0',
              'x-powered-by': 'Express',
              'x-request-id': 'upstream-made-this-up',
              'access-control-allow-origin': 'https://evil.example',
              'keep-alive': 'timeout=1',
              'x-service-header': 'kept',
            })
            .send({ ok: true }),
        );
        app.get('/api/v1/auth/status/:status', async (request, reply) => reply.status(Number((request.params as { status: string }).status)).header('etag', '"v1"').send());
        slowRoutes(1_000)(app);
      },
    });
    posts = await startService('posts');
    comments = await startService('comments');
    likes = await startService('likes');
    gateway = await startGateway({
      built: ['identity', 'posts', 'comments', 'likes', 'users'],
      // users is built but has no upstream here: its prefixes must answer 503 too.
      upstreams: { identity: identity.url, posts: posts.url, comments: comments.url, likes: likes.url },
      env: { UPSTREAM_TIMEOUT_MS: '300' },
    });
    url = await gateway.listen();
  });

  after(async () => {
    await gateway.close();
    await Promise.all([identity.close(), posts.close(), comments.close(), likes.close()]);
  });

  it('forwards the path and query string to the service owning the prefix', async () => {
    const response = await fetch(`${url}/api/v1/auth/me?x=1&y=%20two`);
    assert.equal(response.status, 200);
    const body = await echoed(response);
    assert.equal(body.service, 'identity');
    assert.equal(body.url, '/api/v1/auth/me?x=1&y=%20two');
  });

  it('sends each path to the most specific prefix', async () => {
    const cases: [string, string][] = [
      ['/api/v1/posts', 'posts'],
      ['/api/v1/feed', 'posts'],
      ['/api/v1/posts/p1', 'posts'],
      ['/api/v1/posts/p1/comments', 'comments'],
      ['/api/v1/comments/c1', 'comments'],
      ['/api/v1/posts/p1/like', 'likes'],
      ['/api/v1/posts/p1/likes', 'likes'],
      ['/api/v1/comments/c1/like', 'likes'],
      ['/api/v1/users/u1/posts', 'posts'],
    ];
    for (const [path, service] of cases) {
      const response = await fetch(`${url}${path}`);
      assert.equal(response.status, 200, path);
      assert.equal((await echoed(response)).service, service, path);
    }
  });

  it('answers 503 problem+json for prefixes of services not built or without an upstream, never 404', async () => {
    for (const path of ['/api/v1/orders', '/api/v1/orders/o1/cancel', '/api/v1/products', '/api/v1/media', '/api/v1/users/u1']) {
      const response = await fetch(`${url}${path}`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
      assert.equal(response.status, 503, path);
      assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/);
      const problem = (await response.json()) as { code: string; status: number };
      assert.equal(problem.code, 'GATEWAY.SERVICE_UNAVAILABLE');
      assert.equal(problem.status, 503);
    }
  });

  it('answers 404 problem+json outside every prefix', async () => {
    for (const path of ['/api/v2/auth/me', '/api/v1/authx', '/api/v1', '/nowhere', '/api']) {
      const response = await fetch(`${url}${path}`);
      assert.equal(response.status, 404, path);
      assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/);
      assert.equal(((await response.json()) as { code: string }).code, 'HTTP.NOT_FOUND', path);
    }
  });

  it('passes HEAD, 204 and 304 answers through without a body', async () => {
    const head = await fetch(`${url}/api/v1/auth/me`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(await head.text(), '');
    for (const status of [204, 304]) {
      const response = await fetch(`${url}/api/v1/auth/status/${status}`);
      assert.equal(response.status, status);
      assert.equal(await response.text(), '');
      assert.ok(response.headers.get('x-request-id'));
    }
  });

  it('passes a service problem through unchanged', async () => {
    const response = await fetch(`${url}/api/v1/auth/register`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    assert.equal(response.status, 409);
    assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/);
    assert.equal(await response.text(), '{"type":"/problems/auth.email_taken","title":"Email taken","status":409,"code":"AUTH.EMAIL_TAKEN"}');
  });

  it('passes request bodies through byte for byte, whatever their type', async () => {
    const bodies: [string, string][] = [
      ['application/json', '{"a":1,  "b":[true]}'],
      ['application/json', '{not json'],
      ['text/plain', 'héllo'],
      ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="file"; filename="a.bin"\r\n\r\n\x00\x01\r\n--x--\r\n'],
      ['application/x-custom', 'anything'],
    ];
    for (const [type, text] of bodies) {
      const response = await fetch(`${url}/api/v1/posts`, { method: 'POST', body: text, headers: { 'content-type': type } });
      assert.equal(response.status, 200, type);
      const body = await echoed(response);
      assert.equal(body.body, text, type);
      assert.equal(body.headers['content-type'], type);
    }
  });

  it('passes a DELETE body and a body without a content type through', async () => {
    const deleted = await echoed(await fetch(`${url}/api/v1/auth/me`, { method: 'DELETE', body: '{"password":"x"}', headers: { 'content-type': 'application/json' } }));
    assert.equal(deleted.method, 'DELETE');
    assert.equal(deleted.body, '{"password":"x"}');
    const untyped = await rawRequest(url, '/api/v1/posts', { method: 'POST', body: Buffer.from('raw bytes') });
    assert.equal(untyped.status, 200);
    assert.equal((JSON.parse(untyped.body) as EchoReply).body, 'raw bytes');
  });

  it('sends the upstream the client identity headers it may trust, and none it may not', async () => {
    const claimed = {
      'x-user-id': 'admin',
      'X-User-Roles': 'admin',
      'x-principal': '{"roles":["admin"]}',
      'x-principal-id': 'admin',
      'x-forwarded-for': '6.6.6.6',
      'x-forwarded-host': 'evil.example',
      'x-forwarded-proto': 'https',
      forwarded: 'for=6.6.6.6',
      'x-request-id': 'client-id-42',
      'x-correlation-id': 'flow-7',
      cookie: 'a=b',
    };
    const response = await fetch(`${url}/api/v1/posts/p1?z=1`, { headers: { ...claimed, authorization: 'Bearer not-checked-here' } });
    // An invalid token is refused at the edge; send this one without it below.
    assert.equal(response.status, 401);

    const accepted = await fetch(`${url}/api/v1/posts/p1?z=1`, { headers: claimed });
    assert.equal(accepted.status, 200);
    const { headers } = await echoed(accepted);
    for (const name of Object.keys(headers)) {
      assert.ok(!name.startsWith('x-user-') && !name.startsWith('x-principal'), `${name} reached the service`);
    }
    assert.equal(headers['forwarded'], undefined);
    assert.equal(headers['x-forwarded-for'], '127.0.0.1');
    assert.equal(headers['x-forwarded-proto'], 'http');
    assert.equal(headers['x-forwarded-host'], new URL(url).host);
    assert.equal(headers['x-request-id'], 'client-id-42');
    assert.equal(headers['x-correlation-id'], 'flow-7');
    assert.equal(headers['cookie'], 'a=b');
    assert.equal(headers['host'], new URL(posts.url).host);
    assert.equal(accepted.headers.get('x-request-id'), 'client-id-42');
  });

  it('keeps edge-owned response headers and drops what leaks the stack', async () => {
    const response = await fetch(`${url}/api/v1/auth/leaky`, { headers: { origin: 'https://app.example', 'x-request-id': 'mine-1' } });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('x-request-id'), 'mine-1');
    assert.equal(response.headers.get('server'), null);
    assert.equal(response.headers.get('x-powered-by'), null);
    assert.equal(response.headers.get('access-control-allow-origin'), '*');
    assert.notEqual(response.headers.get('keep-alive'), 'timeout=1');
    assert.equal(response.headers.get('x-service-header'), 'kept');
  });

  it('answers 504 GATEWAY.UPSTREAM_TIMEOUT when a service does not answer in time', async () => {
    const started = Date.now();
    const response = await fetch(`${url}/api/v1/auth/slow`);
    assert.equal(response.status, 504);
    assert.equal(((await response.json()) as { code: string }).code, 'GATEWAY.UPSTREAM_TIMEOUT');
    assert.ok(Date.now() - started < 1_500, 'answered before the upstream did');
    assert.ok(response.headers.get('x-request-id'));
  });

  it('refuses dot segments and malformed paths with 400, never a 5xx', async () => {
    for (const path of ['/api/v1/posts/../auth/me', '/api/v1/posts/%2e%2e/auth', '/api/v1/posts/x/..', '/api/v1/auth/%zz', '/api/v1/auth/%E0%A4%A']) {
      const response = await rawRequest(url, path);
      assert.equal(response.status, 400, path);
    }
    const response = await rawRequest(url, '/api/v1/posts/%2e%2e/auth');
    assert.equal((JSON.parse(response.body) as { code: string }).code, 'GATEWAY.INVALID_PATH');
  });

  it('answers odd and malformed requests with a 4xx or passes them on, never a 5xx', async () => {
    const probes: [string, string, Record<string, string>, string?][] = [
      ['GET', '/api/v1/auth/x?q=%zz&r=%', {}],
      ['GET', `/api/v1/auth/${'a'.repeat(3_000)}`, {}],
      ['GET', `/api/v1/posts/${'p'.repeat(200)}/comments/${'c'.repeat(200)}`, {}],
      ['GET', '/api/v1/auth/%00', {}],
      ['TRACE', '/api/v1/auth/x', {}],
      ['PROPFIND', '/api/v1/auth/x', {}],
      ['POST', '/api/v1/auth/x', { 'content-type': 'not a type' }, '{}'],
      ['POST', '/api/v1/auth/x', { 'content-type': 'application/json; charset=bogus' }, '{'],
      ['GET', '/api/v1/auth/x', { authorization: `Bearer ${'x'.repeat(8_000)}` }],
      ['GET', '/api/v1/auth/x', { authorization: 'Bearer eyJhbGciOiJFZERTQSIsImtpZCI6Im5vcGUifQ.eyJzdWIiOiJ4In0.c2ln' }],
      ['GET', '/api/v1/auth/x', { authorization: 'Bearer a.b.c' }],
      ['GET', '/api/v1/auth/x', { authorization: 'Bearer \u0000' }],
      ['GET', '/api/v1/auth/x', { 'x-request-id': '' }],
      ['GET', '/.well-known/jwks.json?x=%zz', {}],
      ['GET', '/openapi.json?%zz', {}],
    ];
    for (const [method, path, headers, body] of probes) {
      const response = await gateway.app.inject({ method: method as 'GET', url: path, headers, ...(body === undefined ? {} : { payload: body }) });
      assert.ok(response.statusCode < 500, `${method} ${path.slice(0, 60)} → ${response.statusCode} ${response.body.slice(0, 200)}`);
    }
    assert.equal((await gateway.app.inject({ method: 'TRACE', url: '/api/v1/auth/x' })).statusCode, 404);
  });

  it('drops hop-by-hop request headers the upstream client would refuse', async () => {
    const response = await rawRequest(url, '/api/v1/posts', {
      method: 'POST',
      body: Buffer.from('{}'),
      headers: { 'content-type': 'application/json', 'keep-alive': 'timeout=5', connection: 'keep-alive, x-drop-me', 'x-drop-me': '1', te: 'trailers', expect: '100-continue' },
    });
    assert.equal(response.status, 200);
    const { headers } = JSON.parse(response.body) as EchoReply;
    assert.equal(headers['x-drop-me'], undefined);
    assert.equal(headers['te'], undefined);
    assert.equal(headers['expect'], undefined);
    assert.equal(headers['keep-alive'], undefined);
  });

  it('drops a body sent with a GET rather than forwarding a length without bytes', async () => {
    const response = await rawRequest(url, '/api/v1/posts', { method: 'GET', body: Buffer.from('stray'), headers: { 'content-type': 'text/plain' } });
    assert.equal(response.status, 200);
    const echo = JSON.parse(response.body) as EchoReply;
    assert.equal(echo.headers['content-length'], undefined);
  });
});

describe('an upstream that refuses connections', () => {
  it('answers 503 GATEWAY.SERVICE_UNAVAILABLE', async () => {
    const gateway = await startGateway({ upstreams: { identity: await closedPortUrl() } });
    try {
      const url = await gateway.listen();
      for (const path of ['/api/v1/auth/login', '/.well-known/jwks.json']) {
        const response = await fetch(`${url}${path}`, { method: path.endsWith('login') ? 'POST' : 'GET', body: path.endsWith('login') ? '{}' : null, headers: { 'content-type': 'application/json' } });
        assert.equal(response.status, 503, path);
        assert.equal(((await response.json()) as { code: string }).code, 'GATEWAY.SERVICE_UNAVAILABLE');
      }
    } finally {
      await gateway.close();
    }
  });
});
