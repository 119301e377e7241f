/**
 * Every identity behaviour of API.md, spoken through the gateway as a client would. The same
 * scenarios run against the embedded platform and against the platform as separate processes
 * on PostgreSQL, RabbitMQ and Redis.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { assertProblem, call, eventually, seenBodies, type PlatformUnderTest } from './client.ts';

export type { PlatformUnderTest };

/** Reads the newest reset mail to `email` from the mailbox folder and returns its token. */
function resetTokenFor(mailboxDir: string, email: string): Promise<string> {
  return eventually(5_000, async () => {
    const files = await readdir(mailboxDir).catch(() => [] as string[]);
    for (const file of files.sort().reverse()) {
      const raw = await readFile(path.join(mailboxDir, file), 'utf8');
      // Undo quoted-printable soft breaks and escapes before looking for the link.
      const mail = raw.replace(/=\r?\n/g, '').replace(/=3D/gi, '=');
      if (!mail.toLowerCase().includes(email.toLowerCase())) continue;
      const match = /[?&]token=([A-Za-z0-9_-]+)/.exec(mail);
      if (match) return match[1]!;
    }
    throw new Error(`no reset mail for ${email} in ${mailboxDir}`);
  });
}

export function identityScenarios(platform: () => PlatformUnderTest): void {
  const api = (method: string, route: string, options?: Parameters<typeof call>[3]) => call(platform().url, method, `/api/v1/auth${route}`, options);
  const password = 'correct horse battery staple';

  const given = {
    async user(overrides: { password?: string } = {}) {
      const id = randomUUID().slice(0, 8);
      const credentials = { email: `User.${id}@Example.com`, username: `user_${id}`, password: overrides.password ?? password };
      const reply = await api('POST', '/register', { body: credentials });
      assert.equal(reply.status, 201, reply.text);
      return { ...credentials, session: reply.body as { user: { id: string; email: string; username: string; roles: string[] }; accessToken: string; refreshToken: string; expiresIn: number } };
    },
    async admin() {
      const reply = await api('POST', '/login', { body: platform().admin });
      assert.equal(reply.status, 200, reply.text);
      return reply.body.accessToken as string;
    },
  };

  describe('identity through the gateway', () => {
    it('registers, signs in and answers /me', async () => {
      const user = await given.user();
      assert.equal(user.session.user.email, user.email.toLowerCase());
      assert.deepEqual(user.session.user.roles, ['user']);
      assert.ok(user.session.expiresIn > 0 && user.session.expiresIn <= 900);
      const login = await api('POST', '/login', { body: { email: user.email, password } });
      assert.equal(login.status, 200);
      const me = await api('GET', '/me', { token: login.body.accessToken });
      assert.equal(me.status, 200);
      assert.deepEqual(Object.keys(me.body).sort(), ['createdAt', 'email', 'id', 'roles', 'username']);
      assert.equal(me.body.id, user.session.user.id);
      assert.ok(me.headers.get('x-request-id'));
    });

    it('refuses a taken email or username with 409', async () => {
      const user = await given.user();
      assertProblem(await api('POST', '/register', { body: { email: user.email, username: `x${user.username}`.slice(0, 30), password } }), 409, 'AUTH.EMAIL_TAKEN');
      assertProblem(await api('POST', '/register', { body: { email: `other.${user.email}`, username: user.username, password } }), 409, 'AUTH.USERNAME_TAKEN');
    });

    it('answers a wrong password and an unknown email alike', async () => {
      const user = await given.user();
      assertProblem(await api('POST', '/login', { body: { email: user.email, password: 'wrong password!' } }), 401, 'AUTH.INVALID_CREDENTIALS');
      assertProblem(await api('POST', '/login', { body: { email: `nobody.${user.email}`, password } }), 401, 'AUTH.INVALID_CREDENTIALS');
    });

    it('rejects invalid input and unknown properties with 400, never 5xx', async () => {
      const bad = [
        { email: 'not-an-email', username: 'okname', password },
        { email: 'a@b.co', username: 'No Caps!', password },
        { email: 'a@b.co', username: 'ok_name', password: 'short' },
        { email: 'a@b.co', username: 'ok_name', password, roles: ['admin'] },
        { email: 'a@b.co' },
      ];
      for (const body of bad) assertProblem(await api('POST', '/register', { body }), 400, 'VALIDATION.FAILED');
      const unknown = await api('POST', '/register', { body: { email: 'a@b.co', username: 'ok_name', password, roles: ['admin'] } });
      assert.ok(unknown.body.errors.some((error: { path: string }) => error.path.includes('roles')));
      assertProblem(await api('POST', '/login', { body: '{"email": ' }), 400);
      assertProblem(await api('POST', '/refresh', { body: { refreshToken: 42 } }), 400, 'VALIDATION.FAILED');
      assertProblem(await api('PUT', '/users/not-a-uuid/roles', { token: await given.admin(), body: { roles: ['user'] } }), 400);
    });

    it('answers 413 to a body over 1 MiB', async () => {
      const reply = await api('POST', '/register', { body: { email: 'big@example.com', username: 'big', password: 'x'.repeat(1024 * 1024 + 1) } });
      assertProblem(reply, 413, 'HTTP.PAYLOAD_TOO_LARGE');
    });

    it('rotates refresh tokens and revokes the family when a spent one comes back', async () => {
      const user = await given.user();
      const first = await api('POST', '/refresh', { body: { refreshToken: user.session.refreshToken } });
      assert.equal(first.status, 200);
      assert.notEqual(first.body.refreshToken, user.session.refreshToken);
      assertProblem(await api('POST', '/refresh', { body: { refreshToken: user.session.refreshToken } }), 401, 'AUTH.REFRESH_REUSED');
      // The whole family is gone: the newest refresh token and its access token too.
      assertProblem(await api('POST', '/refresh', { body: { refreshToken: first.body.refreshToken } }), 401);
      assertProblem(await api('GET', '/me', { token: first.body.accessToken }), 401);
    });

    it('refuses a logged-out session\'s access token at once', async () => {
      const user = await given.user();
      assert.equal((await api('GET', '/me', { token: user.session.accessToken })).status, 200);
      assert.equal((await api('POST', '/logout', { body: { refreshToken: user.session.refreshToken } })).status, 204);
      assertProblem(await api('GET', '/me', { token: user.session.accessToken }), 401);
      assertProblem(await api('POST', '/refresh', { body: { refreshToken: user.session.refreshToken } }), 401);
    });

    it('logs out every session with logout-all', async () => {
      const user = await given.user();
      const second = await api('POST', '/login', { body: { email: user.email, password } });
      assert.equal((await api('POST', '/logout-all', { token: user.session.accessToken })).status, 204);
      assertProblem(await api('GET', '/me', { token: user.session.accessToken }), 401);
      assertProblem(await api('GET', '/me', { token: second.body.accessToken }), 401);
    });

    it('changes the password, keeping this session and revoking the others', async () => {
      const user = await given.user();
      const other = await api('POST', '/login', { body: { email: user.email, password } });
      assertProblem(await api('POST', '/password', { token: user.session.accessToken, body: { currentPassword: 'not the password', newPassword: 'a brand new password' } }), 401);
      assert.equal((await api('POST', '/password', { token: user.session.accessToken, body: { currentPassword: password, newPassword: 'a brand new password' } })).status, 204);
      assert.equal((await api('GET', '/me', { token: user.session.accessToken })).status, 200);
      assertProblem(await api('GET', '/me', { token: other.body.accessToken }), 401);
      assertProblem(await api('POST', '/login', { body: { email: user.email, password } }), 401, 'AUTH.INVALID_CREDENTIALS');
      assert.equal((await api('POST', '/login', { body: { email: user.email, password: 'a brand new password' } })).status, 200);
    });

    it('resets a forgotten password by mailed single-use link and revokes every session', async () => {
      const user = await given.user();
      assert.equal((await api('POST', '/password/forgot', { body: { email: `unknown.${user.email}` } })).status, 202);
      assert.equal((await api('POST', '/password/forgot', { body: { email: user.email } })).status, 202);
      const token = await resetTokenFor(platform().mailboxDir, user.email);
      assert.equal((await api('POST', '/password/reset', { body: { token, newPassword: 'reset password 123' } })).status, 204);
      assertProblem(await api('POST', '/password/reset', { body: { token, newPassword: 'again password 123' } }), 400);
      assertProblem(await api('GET', '/me', { token: user.session.accessToken }), 401);
      assert.equal((await api('POST', '/login', { body: { email: user.email, password: 'reset password 123' } })).status, 200);
    });

    it('deletes an account with its password', async () => {
      const user = await given.user();
      assertProblem(await api('DELETE', '/me', { token: user.session.accessToken, body: { password: 'not the password' } }), 401);
      assert.equal((await api('DELETE', '/me', { token: user.session.accessToken, body: { password } })).status, 204);
      assertProblem(await api('GET', '/me', { token: user.session.accessToken }), 401);
      assertProblem(await api('POST', '/login', { body: { email: user.email, password } }), 401, 'AUTH.INVALID_CREDENTIALS');
    });

    it('lets an admin list accounts, change roles (seen at the next refresh) and delete accounts', async () => {
      const admin = await given.admin();
      const user = await given.user();
      assertProblem(await api('GET', '/users', { token: user.session.accessToken }), 403);
      const list = await api('GET', '/users?limit=100', { token: admin });
      assert.equal(list.status, 200);
      assert.ok(Array.isArray(list.body.items));
      assert.ok('nextCursor' in list.body);
      const roles = await api('PUT', `/users/${user.session.user.id}/roles`, { token: admin, body: { roles: ['user', 'seller'] } });
      assert.equal(roles.status, 200);
      assert.deepEqual([...roles.body.roles].sort(), ['seller', 'user']);
      const refreshed = await api('POST', '/refresh', { body: { refreshToken: user.session.refreshToken } });
      assert.deepEqual([...refreshed.body.user.roles].sort(), ['seller', 'user']);
      assertProblem(await api('PUT', `/users/${randomUUID()}/roles`, { token: admin, body: { roles: ['user'] } }), 404);
      assert.equal((await api('DELETE', `/users/${user.session.user.id}`, { token: admin })).status, 204);
      assertProblem(await api('GET', '/me', { token: refreshed.body.accessToken }), 401);
    });

    it('throttles failed logins per email and client with 429 and Retry-After', async () => {
      const user = await given.user();
      for (let attempt = 0; attempt < 10; attempt += 1) {
        assertProblem(await api('POST', '/login', { body: { email: user.email, password: 'wrong password!' } }), 401);
      }
      const throttled = await api('POST', '/login', { body: { email: user.email, password } });
      assertProblem(throttled, 429);
      assert.ok(Number(throttled.headers.get('retry-after')) > 0);
      // Another account from the same client is unaffected.
      const other = await given.user();
      assert.equal((await api('POST', '/login', { body: { email: other.email, password } })).status, 200);
    });

    it('refuses tampered and unsigned tokens', async () => {
      const user = await given.user();
      const [header, payload, signature] = user.session.accessToken.split('.') as [string, string, string];
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
      const forged = Buffer.from(JSON.stringify({ ...claims, roles: ['admin'] })).toString('base64url');
      assertProblem(await api('GET', '/me', { token: `${header}.${forged}.${signature}` }), 401);
      const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
      assertProblem(await api('GET', '/me', { token: `${none}.${payload}.` }), 401);
      assertProblem(await api('GET', '/me', { token: 'garbage' }), 401);
      assertProblem(await api('GET', '/me'), 401);
    });

    it('never sends a password or a hash', () => {
      const leaks = seenBodies.filter((body) => body.includes(password) || body.includes('$argon2') || /"password(Hash)?"\s*:/.test(body));
      assert.deepEqual(leaks, []);
    });
  });

  describe('the platform edge', () => {
    it('is ready, publishes JWKS without private parts, and serves the merged OpenAPI and docs', async () => {
      const base = platform().url;
      assert.equal((await call(base, 'GET', '/health/live')).status, 200);
      assert.equal((await call(base, 'GET', '/health/ready')).status, 200);
      const jwks = await call(base, 'GET', '/.well-known/jwks.json');
      assert.equal(jwks.status, 200);
      assert.ok(jwks.body.keys.length >= 1);
      for (const key of jwks.body.keys) {
        assert.ok(key.kid);
        assert.equal(key.d, undefined);
      }
      const openapi = await call(base, 'GET', '/openapi.json');
      assert.equal(openapi.status, 200);
      assert.match(openapi.body.openapi, /^3\.1/);
      for (const route of ['/api/v1/auth/register', '/api/v1/auth/login', '/api/v1/auth/refresh', '/api/v1/auth/users/{id}/roles']) {
        assert.ok(openapi.body.paths[route], `${route} missing from the merged OpenAPI`);
      }
      const docs = await fetch(`${base}/docs`, { redirect: 'follow' });
      assert.equal(docs.status, 200);
      assert.match(await docs.text(), /swagger/i);
      const metrics = await call(base, 'GET', '/metrics');
      assert.match(metrics.text, /http_request_duration_seconds/);
    });

    it('routes every prefix of API.md to a running service and answers 404 outside every prefix', async () => {
      const base = platform().url;
      // Every service is built: a public read answers, a private one asks for a token, none is 503.
      for (const route of ['/api/v1/products', '/api/v1/categories', '/api/v1/search?q=tea']) assert.equal((await call(base, 'GET', route)).status, 200, route);
      for (const route of ['/api/v1/cart', '/api/v1/orders', '/api/v1/payments', '/api/v1/notifications']) assertProblem(await call(base, 'GET', route), 401);
      assertProblem(await call(base, 'GET', '/api/v1/nothing-here'), 404);
    });

    it('sends rate-limit headers and echoes X-Request-Id', async () => {
      const reply = await call(platform().url, 'POST', '/api/v1/auth/login', { body: { email: 'nobody@example.com', password }, headers: { 'x-request-id': 'client-chosen-id-1' } });
      assert.equal(reply.headers.get('x-request-id'), 'client-chosen-id-1');
      assert.ok(reply.headers.get('ratelimit-limit'));
      assert.ok(reply.headers.get('ratelimit-remaining'));
      assert.ok(reply.headers.get('ratelimit-reset'));
    });
  });
}
