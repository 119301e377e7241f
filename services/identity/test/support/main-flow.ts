/**
 * The identity section of API.md, route by route, as one suite that runs on any adapters: the
 * embedded ones always, PostgreSQL + RabbitMQ + Redis when their URLs are set. Nothing here moves
 * the clock (Redis keeps its own time); time-travel tests live in the embedded-only files.
 */
import assert from 'node:assert/strict';
import { createPublicKey, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { SignJWT, decodeJwt, decodeProtectedHeader } from 'jose';
import { AUTH, assertNoSecretsAnswered, rememberPassword, resetTokenIn, type GivenUser, type TestIdentity } from './identity.ts';

const PUBLIC_URL = 'https://agora.example';
export const MAIN_FLOW_ENV = { AGORA_PUBLIC_URL: PUBLIC_URL };

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

export function describeMainFlow(name: string, start: () => Promise<TestIdentity>, options: { skip?: string | false } = {}): void {
  describe(`identity (${name})`, { skip: options.skip ?? false }, () => {
    let identity: TestIdentity;
    before(async () => {
      identity = await start();
    });
    after(async () => {
      await identity?.close();
    });

    const me = (token: string) => identity.request('GET', `${AUTH}/me`, { token });
    const refresh = (refreshToken: string) => identity.request('POST', `${AUTH}/refresh`, { body: { refreshToken } });
    const expectProblem = (response: { statusCode: number; body: string; headers: Record<string, unknown> }, status: number, code: string) => {
      assert.equal(response.statusCode, status, response.body);
      assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
      assert.equal(JSON.parse(response.body).code, code, response.body);
    };

    describe('POST /register', () => {
      it('creates an account with the user role and answers 201 with a session', async () => {
        const password = rememberPassword('correct horse battery');
        const response = await identity.request('POST', `${AUTH}/register`, {
          body: { email: `Mixed.Case-${randomUUID()}@Example.TEST`, username: `new_${Date.now()}`, password, displayName: 'New Person' },
        });
        assert.equal(response.statusCode, 201, response.body);
        const session = response.json();
        assert.deepEqual(Object.keys(session).sort(), ['accessToken', 'expiresIn', 'refreshToken', 'user']);
        assert.deepEqual(Object.keys(session.user).sort(), ['email', 'id', 'roles', 'username']);
        assert.equal(session.user.email, session.user.email.toLowerCase(), 'email is normalized to lower case');
        assert.deepEqual(session.user.roles, ['user']);
        assert.equal(session.expiresIn, 900);
        assert.ok(Buffer.from(session.refreshToken, 'base64url').length >= 32, 'refresh token carries at least 32 random bytes');
        assert.equal((await me(session.accessToken)).statusCode, 200);

        const event = await identity.events.waitFor('user.registered', (data) => data.userId === session.user.id);
        assert.equal(event.data.email, session.user.email);
        assert.equal(event.data.displayName, 'New Person');
        assert.deepEqual(event.data.roles, ['user']);
      });

      it('announces the username as display name when none is given', async () => {
        const user = await identity.given.user();
        const event = await identity.events.waitFor('user.registered', (data) => data.userId === user.id);
        assert.equal(event.data.displayName, user.username);
      });

      it('refuses an email already registered, whatever its case, with 409 AUTH.EMAIL_TAKEN', async () => {
        const user = await identity.given.user();
        const response = await identity.request('POST', `${AUTH}/register`, {
          body: { email: user.email.toUpperCase(), username: `other_${Date.now()}`, password: rememberPassword('another password') },
        });
        expectProblem(response, 409, 'AUTH.EMAIL_TAKEN');
      });

      it('refuses a username already taken with 409 AUTH.USERNAME_TAKEN', async () => {
        const user = await identity.given.user();
        const response = await identity.request('POST', `${AUTH}/register`, {
          body: { email: `fresh-${randomUUID()}@example.test`, username: user.username, password: rememberPassword('another password') },
        });
        expectProblem(response, 409, 'AUTH.USERNAME_TAKEN');
      });

      it('lets exactly one of two simultaneous sign-ups with one email through', async () => {
        const email = `race-${randomUUID()}@example.test`;
        const password = rememberPassword('racing password');
        const responses = await Promise.all(
          ['race_a', 'race_b'].map((prefix) =>
            identity.request('POST', `${AUTH}/register`, { body: { email, username: `${prefix}_${Date.now()}`, password } }),
          ),
        );
        assert.deepEqual(responses.map((response) => response.statusCode).sort(), [201, 409]);
        expectProblem(responses.find((response) => response.statusCode === 409)!, 409, 'AUTH.EMAIL_TAKEN');
      });

      it('rejects properties the client does not own, such as roles, with 400', async () => {
        const response = await identity.request('POST', `${AUTH}/register`, {
          body: { email: `admin-${randomUUID()}@example.test`, username: `sneaky_${Date.now()}`, password: rememberPassword('sneaky password'), roles: ['admin'] },
        });
        expectProblem(response, 400, 'VALIDATION.FAILED');
        assert.deepEqual(response.json().errors, [{ path: 'body/roles', message: 'is not a known property' }]);
      });

      it('rejects an invalid email, username or password with 400', async () => {
        const valid = { email: `valid-${randomUUID()}@example.test`, username: `valid_${Date.now()}`, password: 'long enough' };
        const invalid = [
          { email: 'not-an-email' },
          { username: 'ab' },
          { username: 'x'.repeat(31) },
          { username: 'Has-Caps' },
          { password: 'short' },
          { password: 'p'.repeat(129) },
          { displayName: '' },
        ];
        for (const change of invalid) {
          const response = await identity.request('POST', `${AUTH}/register`, { body: { ...valid, ...change } });
          expectProblem(response, 400, 'VALIDATION.FAILED');
        }
        expectProblem(await identity.request('POST', `${AUTH}/register`, { body: { email: valid.email } }), 400, 'VALIDATION.FAILED');
      });
    });

    describe('POST /login', () => {
      it('answers 200 with a session for the right password, the email in any case', async () => {
        const user = await identity.given.user();
        const response = await identity.login(user.email.toUpperCase(), user.password);
        assert.equal(response.statusCode, 200, response.body);
        assert.equal(response.json().user.id, user.id);
        assert.equal((await me(response.json().accessToken)).statusCode, 200);
      });

      it('answers a wrong password and an unknown email with the same 401 AUTH.INVALID_CREDENTIALS', async () => {
        const user = await identity.given.user();
        const wrongPassword = await identity.login(user.email, 'not the password');
        const unknownEmail = await identity.login(`nobody-${randomUUID()}@example.test`, user.password);
        expectProblem(wrongPassword, 401, 'AUTH.INVALID_CREDENTIALS');
        expectProblem(unknownEmail, 401, 'AUTH.INVALID_CREDENTIALS');
        assert.deepEqual(wrongPassword.json(), unknownEmail.json());
      });

      it('refuses an (email, client) pair with 429 after 10 failures, leaving other clients and emails alone', async () => {
        const user = await identity.given.user();
        const other = await identity.given.user();
        const attacker = '203.0.113.7';
        for (let attempt = 1; attempt <= 10; attempt++) {
          expectProblem(await identity.login(user.email, `guess-${attempt}`, attacker), 401, 'AUTH.INVALID_CREDENTIALS');
        }
        const refused = await identity.login(user.email, user.password, attacker);
        expectProblem(refused, 429, 'AUTH.TOO_MANY_ATTEMPTS');
        const retryAfter = Number(refused.headers['retry-after']);
        assert.ok(retryAfter > 0 && retryAfter <= 900, `Retry-After ${refused.headers['retry-after']}`);
        assert.equal(refused.headers['ratelimit-limit'], '10');
        assert.equal(refused.headers['ratelimit-remaining'], '0');

        assert.equal((await identity.login(user.email, user.password, '198.51.100.1')).statusCode, 200, 'another client is unaffected');
        assert.equal((await identity.login(other.email, other.password, attacker)).statusCode, 200, 'another email is unaffected');
      });

      it('forgets earlier failures after a successful login', async () => {
        const user = await identity.given.user();
        const ip = '203.0.113.8';
        for (let attempt = 1; attempt <= 9; attempt++) await identity.login(user.email, `guess-${attempt}`, ip);
        assert.equal((await identity.login(user.email, user.password, ip)).statusCode, 200);
        for (let attempt = 1; attempt <= 9; attempt++) {
          expectProblem(await identity.login(user.email, `guess-${attempt}`, ip), 401, 'AUTH.INVALID_CREDENTIALS');
        }
      });
    });

    describe('POST /refresh', () => {
      it('rotates: a new refresh token and a working access token, the old refresh token spent', async () => {
        const user = await identity.given.user();
        const response = await refresh(user.refreshToken);
        assert.equal(response.statusCode, 200, response.body);
        const session = response.json();
        assert.notEqual(session.refreshToken, user.refreshToken);
        assert.equal(session.user.id, user.id);
        assert.equal(decodeJwt(session.accessToken)['sid'], decodeJwt(user.accessToken)['sid'], 'same session, same family');
        assert.equal((await me(session.accessToken)).statusCode, 200);
        assert.equal((await refresh(session.refreshToken)).statusCode, 200, 'the new token works once too');
      });

      it('treats a spent token presented again as reuse: 401 AUTH.REFRESH_REUSED and the whole family revoked', async () => {
        const user = await identity.given.user();
        const rotated = (await refresh(user.refreshToken)).json();

        expectProblem(await refresh(user.refreshToken), 401, 'AUTH.REFRESH_REUSED');
        expectProblem(await refresh(rotated.refreshToken), 401, 'AUTH.SESSION_REVOKED');
        expectProblem(await me(rotated.accessToken), 401, 'AUTH.SESSION_REVOKED');
        expectProblem(await me(user.accessToken), 401, 'AUTH.SESSION_REVOKED');

        const sid = decodeJwt(user.accessToken)['sid'];
        const event = await identity.events.waitFor('session.revoked', (data) => data.sessionId === sid);
        assert.equal(event.data.reason, 'refresh_reused');
        assert.equal(event.data.userId, user.id);
      });

      it('lets exactly one of two simultaneous refreshes with one token succeed', async () => {
        const user = await identity.given.user();
        const responses = await Promise.all([refresh(user.refreshToken), refresh(user.refreshToken)]);
        assert.deepEqual(responses.map((response) => response.statusCode).sort(), [200, 401]);
        expectProblem(responses.find((response) => response.statusCode === 401)!, 401, 'AUTH.REFRESH_REUSED');
      });

      it('refuses an unknown token with 401 AUTH.INVALID_REFRESH_TOKEN', async () => {
        expectProblem(await refresh('bm90IGEgcmVhbCB0b2tlbg'), 401, 'AUTH.INVALID_REFRESH_TOKEN');
      });

      it('carries a role change from the next refresh on', async () => {
        const admin = await identity.given.admin();
        const user = await identity.given.user();
        const changed = await identity.request('PUT', `${AUTH}/users/${user.id}/roles`, { token: admin.accessToken, body: { roles: ['seller'] } });
        assert.equal(changed.statusCode, 200, changed.body);
        assert.deepEqual(decodeJwt(user.accessToken)['roles'], ['user'], 'the current access token keeps its roles');
        const refreshed = (await refresh(user.refreshToken)).json();
        assert.deepEqual(decodeJwt(refreshed.accessToken)['roles'], ['user', 'seller']);
        assert.deepEqual(refreshed.user.roles, ['user', 'seller']);
      });
    });

    describe('POST /logout', () => {
      it('answers 204 and stops the session’s access and refresh tokens at once', async () => {
        const user = await identity.given.user();
        const response = await identity.request('POST', `${AUTH}/logout`, { body: { refreshToken: user.refreshToken } });
        assert.equal(response.statusCode, 204);
        assert.equal(response.body, '');
        expectProblem(await me(user.accessToken), 401, 'AUTH.SESSION_REVOKED');
        expectProblem(await refresh(user.refreshToken), 401, 'AUTH.SESSION_REVOKED');
        const sid = decodeJwt(user.accessToken)['sid'];
        const event = await identity.events.waitFor('session.revoked', (data) => data.sessionId === sid);
        assert.equal(event.data.reason, 'logout');
        assert.ok(Date.parse(event.data.revokeUntil) > Date.now());
      });

      it('leaves the user’s other sessions alone', async () => {
        const user = await identity.given.user();
        const second = (await identity.login(user.email, user.password)).json();
        await identity.request('POST', `${AUTH}/logout`, { body: { refreshToken: user.refreshToken } });
        assert.equal((await me(second.accessToken)).statusCode, 200);
      });

      it('answers 204 to an unknown, garbage or already used token, revealing nothing', async () => {
        const user = await identity.given.user();
        for (const refreshToken of ['garbage', '', 'bm90IGEgcmVhbCB0b2tlbg', user.refreshToken, user.refreshToken]) {
          assert.equal((await identity.request('POST', `${AUTH}/logout`, { body: { refreshToken } })).statusCode, 204);
        }
      });
    });

    describe('POST /logout-all', () => {
      it('answers 204 and revokes every session of the user', async () => {
        const user = await identity.given.user();
        const second = (await identity.login(user.email, user.password)).json();
        const response = await identity.request('POST', `${AUTH}/logout-all`, { token: user.accessToken });
        assert.equal(response.statusCode, 204, response.body);
        for (const token of [user.accessToken, second.accessToken]) expectProblem(await me(token), 401, 'AUTH.SESSION_REVOKED');
        for (const token of [user.refreshToken, second.refreshToken]) expectProblem(await refresh(token), 401, 'AUTH.SESSION_REVOKED');
        for (const token of [user.accessToken, second.accessToken]) {
          const sid = decodeJwt(token)['sid'];
          assert.equal((await identity.events.waitFor('session.revoked', (data) => data.sessionId === sid)).data.reason, 'logout_all');
        }
      });

      it('needs a token: 401 AUTH.REQUIRED without one', async () => {
        expectProblem(await identity.request('POST', `${AUTH}/logout-all`), 401, 'AUTH.REQUIRED');
      });
    });

    describe('GET /me', () => {
      it('answers exactly { id, email, username, roles, createdAt }', async () => {
        const user = await identity.given.user();
        const response = await me(user.accessToken);
        assert.equal(response.statusCode, 200);
        const body = response.json();
        assert.deepEqual(Object.keys(body).sort(), ['createdAt', 'email', 'id', 'roles', 'username']);
        assert.deepEqual({ ...body, createdAt: undefined }, { id: user.id, email: user.email, username: user.username, roles: ['user'], createdAt: undefined });
        assert.ok(!Number.isNaN(Date.parse(body.createdAt)));
      });

      it('answers 401 without a token, with a malformed header, or with a bad token', async () => {
        expectProblem(await identity.request('GET', `${AUTH}/me`), 401, 'AUTH.REQUIRED');
        expectProblem(await identity.request('GET', `${AUTH}/me`, { headers: { authorization: 'Basic abc' } }), 401, 'AUTH.INVALID_TOKEN');
        expectProblem(await me('not.a.jwt'), 401, 'AUTH.INVALID_TOKEN');
      });
    });

    describe('access tokens', () => {
      let user: GivenUser;
      let header: Record<string, unknown>;
      let payload: Record<string, unknown>;
      before(async () => {
        user = await identity.given.user();
        header = decodeProtectedHeader(user.accessToken);
        payload = decodeJwt(user.accessToken);
      });

      it('are EdDSA JWTs with a published kid and sub, sid, roles, iss, aud, exp within 15 minutes', async () => {
        assert.equal(header['alg'], 'EdDSA');
        const jwks = (await identity.request('GET', '/.well-known/jwks.json')).json();
        assert.ok(jwks.keys.some((key: { kid: string }) => key.kid === header['kid']));
        assert.equal(payload['sub'], user.id);
        assert.equal(typeof payload['sid'], 'string');
        assert.deepEqual(payload['roles'], ['user']);
        assert.equal(payload['iss'], 'agora-identity');
        assert.equal(payload['aud'], 'agora');
        assert.ok((payload['exp'] as number) - (payload['iat'] as number) <= 900);
      });

      it('refuses a token whose claims were altered (401)', async () => {
        const [h, , signature] = user.accessToken.split('.');
        const tampered = `${h}.${b64({ ...payload, roles: ['user', 'admin'] })}.${signature}`;
        expectProblem(await me(tampered), 401, 'AUTH.INVALID_TOKEN');
        expectProblem(await identity.request('GET', `${AUTH}/users`, { token: tampered }), 401, 'AUTH.INVALID_TOKEN');
      });

      it('refuses an unsigned alg "none" token (401)', async () => {
        const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(payload)}.`;
        expectProblem(await me(unsigned), 401, 'AUTH.INVALID_TOKEN');
      });

      it('refuses an HS256 token signed with the public key as the secret (401)', async () => {
        const jwks = (await identity.request('GET', '/.well-known/jwks.json')).json();
        const jwk = jwks.keys.find((key: { kid: string }) => key.kid === header['kid']);
        const pem = createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
        for (const secret of [Buffer.from(pem), Buffer.from(JSON.stringify(jwk)), Buffer.from(jwk.x, 'base64url')]) {
          const forged = await new SignJWT(payload).setProtectedHeader({ alg: 'HS256', kid: jwk.kid }).sign(secret);
          expectProblem(await me(forged), 401, 'AUTH.INVALID_TOKEN');
        }
      });
    });

    describe('GET /.well-known/jwks.json', () => {
      it('publishes public Ed25519 keys without any private part', async () => {
        const response = await identity.request('GET', '/.well-known/jwks.json');
        assert.equal(response.statusCode, 200);
        const { keys } = response.json();
        assert.ok(keys.length >= 1);
        for (const key of keys) {
          assert.deepEqual(Object.keys(key).sort(), ['alg', 'crv', 'kid', 'kty', 'use', 'x']);
          assert.equal(key.kty, 'OKP');
          assert.equal(key.crv, 'Ed25519');
        }
        for (const field of ['"d"', '"p"', '"q"', '"dp"', '"dq"', '"qi"', '"k"']) assert.ok(!response.body.includes(field), `JWKS contains ${field}`);
      });
    });

    describe('POST /password', () => {
      it('refuses a wrong current password with 401 AUTH.INVALID_PASSWORD and changes nothing', async () => {
        const user = await identity.given.user();
        const response = await identity.request('POST', `${AUTH}/password`, {
          token: user.accessToken,
          body: { currentPassword: 'not it', newPassword: rememberPassword('brand new password') },
        });
        expectProblem(response, 401, 'AUTH.INVALID_PASSWORD');
        assert.equal((await identity.login(user.email, user.password)).statusCode, 200);
        assert.equal((await me(user.accessToken)).statusCode, 200);
      });

      it('answers 204, revokes every other session and keeps this one', async () => {
        const user = await identity.given.user();
        const other = (await identity.login(user.email, user.password)).json();
        const newPassword = rememberPassword(`new-${randomUUID()}`);
        const response = await identity.request('POST', `${AUTH}/password`, { token: user.accessToken, body: { currentPassword: user.password, newPassword } });
        assert.equal(response.statusCode, 204, response.body);

        assert.equal((await me(user.accessToken)).statusCode, 200, 'the session that changed it stays');
        assert.equal((await refresh(user.refreshToken)).statusCode, 200);
        expectProblem(await me(other.accessToken), 401, 'AUTH.SESSION_REVOKED');
        expectProblem(await refresh(other.refreshToken), 401, 'AUTH.SESSION_REVOKED');
        expectProblem(await identity.login(user.email, user.password), 401, 'AUTH.INVALID_CREDENTIALS');
        assert.equal((await identity.login(user.email, newPassword)).statusCode, 200);
        const sid = decodeJwt(other.accessToken)['sid'];
        assert.equal((await identity.events.waitFor('session.revoked', (data) => data.sessionId === sid)).data.reason, 'password_changed');
      });

      it('rejects a new password outside 8–128 characters with 400', async () => {
        const user = await identity.given.user();
        const response = await identity.request('POST', `${AUTH}/password`, { token: user.accessToken, body: { currentPassword: user.password, newPassword: 'short' } });
        expectProblem(response, 400, 'VALIDATION.FAILED');
      });

      it('needs a token: 401 without one', async () => {
        expectProblem(await identity.request('POST', `${AUTH}/password`, { body: { currentPassword: 'whatever1', newPassword: 'whatever2' } }), 401, 'AUTH.REQUIRED');
      });
    });

    describe('POST /password/forgot and /password/reset', () => {
      it('answers 202 for an unknown email and mails nobody', async () => {
        const response = await identity.request('POST', `${AUTH}/password/forgot`, { body: { email: `ghost-${randomUUID()}@example.test` } });
        assert.equal(response.statusCode, 202);
      });

      it('mails a single-use link; resetting answers 204, revokes every session and sets the password', async () => {
        const user = await identity.given.user();
        const other = (await identity.login(user.email, user.password)).json();
        const forgot = await identity.request('POST', `${AUTH}/password/forgot`, { body: { email: user.email.toUpperCase() } });
        assert.equal(forgot.statusCode, 202);
        assert.equal(forgot.body, '');

        const [mail] = await identity.mailbox(user.email);
        assert.ok(mail!.includes(`${PUBLIC_URL}/reset-password?token=`), mail);
        const token = resetTokenIn(mail!);
        const newPassword = rememberPassword(`reset-${randomUUID()}`);
        const reset = await identity.request('POST', `${AUTH}/password/reset`, { body: { token, newPassword } });
        assert.equal(reset.statusCode, 204, reset.body);

        for (const session of [user, other]) {
          expectProblem(await me(session.accessToken), 401, 'AUTH.SESSION_REVOKED');
          expectProblem(await refresh(session.refreshToken), 401, 'AUTH.SESSION_REVOKED');
        }
        expectProblem(await identity.login(user.email, user.password), 401, 'AUTH.INVALID_CREDENTIALS');
        assert.equal((await identity.login(user.email, newPassword)).statusCode, 200);
        const sid = decodeJwt(user.accessToken)['sid'];
        assert.equal((await identity.events.waitFor('session.revoked', (data) => data.sessionId === sid)).data.reason, 'password_reset');

        const again = await identity.request('POST', `${AUTH}/password/reset`, { body: { token, newPassword: rememberPassword('yet another one') } });
        expectProblem(again, 400, 'AUTH.INVALID_RESET_TOKEN');
      });

      it('refuses an unknown token with 400 AUTH.INVALID_RESET_TOKEN', async () => {
        const response = await identity.request('POST', `${AUTH}/password/reset`, { body: { token: 'made-up-token', newPassword: 'long enough' } });
        expectProblem(response, 400, 'AUTH.INVALID_RESET_TOKEN');
      });

      it('rejects a malformed email with 400', async () => {
        expectProblem(await identity.request('POST', `${AUTH}/password/forgot`, { body: { email: 'nope' } }), 400, 'VALIDATION.FAILED');
      });
    });

    describe('DELETE /me', () => {
      it('refuses a wrong password with 401 AUTH.INVALID_PASSWORD and keeps the account', async () => {
        const user = await identity.given.user();
        expectProblem(await identity.request('DELETE', `${AUTH}/me`, { token: user.accessToken, body: { password: 'not it' } }), 401, 'AUTH.INVALID_PASSWORD');
        assert.equal((await me(user.accessToken)).statusCode, 200);
      });

      it('answers 204, erases the account, revokes its sessions and announces user.deleted', async () => {
        const user = await identity.given.user();
        const response = await identity.request('DELETE', `${AUTH}/me`, { token: user.accessToken, body: { password: user.password } });
        assert.equal(response.statusCode, 204, response.body);
        expectProblem(await me(user.accessToken), 401, 'AUTH.SESSION_REVOKED');
        expectProblem(await refresh(user.refreshToken), 401, 'AUTH.INVALID_REFRESH_TOKEN');
        expectProblem(await identity.login(user.email, user.password), 401, 'AUTH.INVALID_CREDENTIALS');
        await identity.events.waitFor('user.deleted', (data) => data.userId === user.id);
        const sid = decodeJwt(user.accessToken)['sid'];
        assert.equal((await identity.events.waitFor('session.revoked', (data) => data.sessionId === sid)).data.reason, 'account_deleted');

        const again = await identity.request('POST', `${AUTH}/register`, { body: { email: user.email, username: user.username, password: user.password } });
        assert.equal(again.statusCode, 201, 'the email and username are free again');
      });

      it('needs a body with the password: 400 without one', async () => {
        const user = await identity.given.user();
        expectProblem(await identity.request('DELETE', `${AUTH}/me`, { token: user.accessToken, body: {} }), 400, 'VALIDATION.FAILED');
      });
    });

    describe('admin: GET /users', () => {
      it('pages through accounts with limit and cursor', async () => {
        const admin = await identity.given.admin();
        await identity.given.user();
        await identity.given.user();
        const seen: string[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const url: string = `${AUTH}/users?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
          const response = await identity.request('GET', url, { token: admin.accessToken });
          assert.equal(response.statusCode, 200, response.body);
          const page = response.json();
          assert.ok(page.items.length <= 2);
          for (const item of page.items) assert.deepEqual(Object.keys(item).sort(), ['createdAt', 'email', 'id', 'roles', 'username']);
          seen.push(...page.items.map((item: { id: string }) => item.id));
          cursor = page.nextCursor;
          pages++;
        } while (cursor !== null && pages < 1_000);
        assert.equal(new Set(seen).size, seen.length, 'no account twice');
        assert.ok(seen.includes(admin.id));
        assert.ok(pages >= 2);
      });

      it('answers 403 to a non-admin and 401 without a token', async () => {
        const user = await identity.given.user();
        expectProblem(await identity.request('GET', `${AUTH}/users`, { token: user.accessToken }), 403, 'AUTH.FORBIDDEN');
        expectProblem(await identity.request('GET', `${AUTH}/users`), 401, 'AUTH.REQUIRED');
      });

      it('rejects a bad limit or cursor with 400', async () => {
        const admin = await identity.given.admin();
        for (const query of ['limit=0', 'limit=101', 'limit=abc', 'cursor=not-a-cursor', 'unknown=1']) {
          expectProblem(await identity.request('GET', `${AUTH}/users?${query}`, { token: admin.accessToken }), 400, 'VALIDATION.FAILED');
        }
      });
    });

    describe('admin: PUT /users/:id/roles', () => {
      it('sets the roles, always keeping user, and announces user.roles_changed', async () => {
        const admin = await identity.given.admin();
        const user = await identity.given.user();
        const response = await identity.request('PUT', `${AUTH}/users/${user.id}/roles`, { token: admin.accessToken, body: { roles: ['seller', 'seller'] } });
        assert.equal(response.statusCode, 200, response.body);
        assert.deepEqual(response.json(), { id: user.id, roles: ['user', 'seller'] });
        const event = await identity.events.waitFor('user.roles_changed', (data) => data.userId === user.id);
        assert.deepEqual(event.data.roles, ['user', 'seller']);

        const cleared = await identity.request('PUT', `${AUTH}/users/${user.id}/roles`, { token: admin.accessToken, body: { roles: [] } });
        assert.deepEqual(cleared.json(), { id: user.id, roles: ['user'] });
      });

      it('answers 403 to a non-admin, 404 for an unknown id, 400 for a malformed id or an unknown role', async () => {
        const admin = await identity.given.admin();
        const user = await identity.given.user();
        const put = (id: string, token: string, roles: unknown = ['seller']) => identity.request('PUT', `${AUTH}/users/${id}/roles`, { token, body: { roles } });
        expectProblem(await put(user.id, user.accessToken, ['admin']), 403, 'AUTH.FORBIDDEN');
        expectProblem(await put(randomUUID(), admin.accessToken), 404, 'AUTH.USER_NOT_FOUND');
        expectProblem(await put('not-a-uuid', admin.accessToken), 400, 'VALIDATION.FAILED');
        expectProblem(await put(user.id, admin.accessToken, ['superuser']), 400, 'VALIDATION.FAILED');
      });
    });

    describe('admin: DELETE /users/:id', () => {
      it('answers 204 and erases the account as DELETE /me does', async () => {
        const admin = await identity.given.admin();
        const user = await identity.given.user();
        const response = await identity.request('DELETE', `${AUTH}/users/${user.id}`, { token: admin.accessToken });
        assert.equal(response.statusCode, 204, response.body);
        expectProblem(await me(user.accessToken), 401, 'AUTH.SESSION_REVOKED');
        expectProblem(await identity.login(user.email, user.password), 401, 'AUTH.INVALID_CREDENTIALS');
        await identity.events.waitFor('user.deleted', (data) => data.userId === user.id);
        expectProblem(await identity.request('DELETE', `${AUTH}/users/${user.id}`, { token: admin.accessToken }), 404, 'AUTH.USER_NOT_FOUND');
      });

      it('answers 403 to a non-admin and 400 for a malformed id', async () => {
        const admin = await identity.given.admin();
        const user = await identity.given.user();
        expectProblem(await identity.request('DELETE', `${AUTH}/users/${admin.id}`, { token: user.accessToken }), 403, 'AUTH.FORBIDDEN');
        expectProblem(await identity.request('DELETE', `${AUTH}/users/123`, { token: admin.accessToken }), 400, 'VALIDATION.FAILED');
      });
    });

    describe('every response', () => {
      it('carries an X-Request-Id, echoing a sane one', async () => {
        const response = await identity.request('GET', '/.well-known/jwks.json', { headers: { 'x-request-id': 'trace-me-123' } });
        assert.equal(response.headers['x-request-id'], 'trace-me-123');
      });

      it('never contains a password or a password hash', () => {
        assertNoSecretsAnswered();
      });
    });
  });
}
