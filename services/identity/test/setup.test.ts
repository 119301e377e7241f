/** Starting identity: configuration, the admin from the environment, mail over SMTP, the OpenAPI document. */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SMTPServer } from 'smtp-server';
import { decodeJwt } from 'jose';
import { ConfigError, loadConfig } from '@agora/kit/config';
import { openDatabase } from '@agora/kit/db/open-database';
import type { Database } from '@agora/kit/db/database';
import { IdentityConfig } from '../src/config.ts';
import { availableUsername } from '../src/domain/bootstrap-admin.ts';
import { AUTH, EventLog, assertNoSecretsAnswered, parseMail, rememberPassword, resetTokenIn, startIdentity } from './support/identity.ts';
import { createInProcessBus } from '@agora/kit/bus/in-process-bus';

describe('starting identity', () => {
  let database: Database;
  const bus = createInProcessBus();
  let events: EventLog;
  before(async () => {
    database = await openDatabase({ service: 'identity' });
    events = await EventLog.on(bus, 'setup-test');
  });
  after(async () => {
    await bus.close();
    await database?.close();
  });
  const start = (env: Record<string, string> = {}) => startIdentity({ database, bus, events, env });

  describe('configuration', () => {
    it('has the documented defaults', () => {
      const config = loadConfig(IdentityConfig, {});
      assert.equal(config.PORT, 8081);
      assert.equal(config.AGORA_PUBLIC_URL, 'http://localhost:8080');
      assert.equal(config.ACCESS_TOKEN_TTL_SECONDS, 900);
      assert.equal(config.REFRESH_TOKEN_TTL_DAYS, 30);
      assert.equal(config.SMTP_URL, undefined);
      assert.equal(config.JWT_SIGNING_KEYS, undefined);
    });

    it('fails at start naming every bad key', () => {
      assert.throws(
        () => loadConfig(IdentityConfig, { ACCESS_TOKEN_TTL_SECONDS: '3600', REFRESH_TOKEN_TTL_DAYS: 'soon', SMTP_URL: 'http://mail' }),
        (error: unknown) => {
          assert.ok(error instanceof ConfigError);
          for (const key of ['ACCESS_TOKEN_TTL_SECONDS', 'REFRESH_TOKEN_TTL_DAYS', 'SMTP_URL']) {
            assert.ok(error.problems.some((problem) => problem.startsWith(`${key}:`)), `${key} in ${error.problems.join('; ')}`);
          }
          return true;
        },
      );
    });

    it('refuses only one of AGORA_ADMIN_EMAIL and AGORA_ADMIN_PASSWORD', async () => {
      await assert.rejects(start({ AGORA_ADMIN_EMAIL: 'half@example.test' }), (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.match(error.problems.join(), /AGORA_ADMIN_PASSWORD/);
        return true;
      });
    });

    it('makes access tokens as short-lived as configured', async () => {
      const identity = await start({ ACCESS_TOKEN_TTL_SECONDS: '300' });
      try {
        const user = await identity.given.user();
        const { exp, iat } = decodeJwt(user.accessToken);
        assert.equal(exp! - iat!, 300);
      } finally {
        await identity.close();
      }
    });
  });

  describe('the admin from AGORA_ADMIN_EMAIL and AGORA_ADMIN_PASSWORD', () => {
    it('is created at start with the admin role, announced, and not duplicated by a restart', async () => {
      const email = `Root.Admin+ops-${randomUUID().slice(0, 8)}@Example.TEST`;
      const password = rememberPassword(`admin-${randomUUID()}`);
      const env = { AGORA_ADMIN_EMAIL: email, AGORA_ADMIN_PASSWORD: password };
      let identity = await start(env);
      try {
        const login = await identity.login(email, password);
        assert.equal(login.statusCode, 200, login.body);
        const session = login.json();
        assert.deepEqual(session.user.roles, ['user', 'admin']);
        assert.match(session.user.username, /^root_admin_ops_[a-f0-9]{8}$/);
        assert.equal(session.user.email, email.toLowerCase());
        const event = await events.waitFor('user.registered', (data) => data.userId === session.user.id);
        assert.deepEqual(event.data.roles, ['user', 'admin']);
        assert.equal((await identity.request('GET', `${AUTH}/users`, { token: session.accessToken })).statusCode, 200);

        await identity.close();
        identity = await start(env);
        assert.equal((await identity.login(email, password)).json().user.id, session.user.id);
        assert.equal(events.count('user.registered', (data) => data.email === email.toLowerCase()), 1);
      } finally {
        await identity.close();
      }
    });

    it('promotes an existing account with that email, leaving its password alone', async () => {
      let identity = await start();
      const user = await identity.given.user();
      await identity.close();
      identity = await start({ AGORA_ADMIN_EMAIL: user.email.toUpperCase(), AGORA_ADMIN_PASSWORD: rememberPassword('ignored password') });
      try {
        const event = await events.waitFor('user.roles_changed', (data) => data.userId === user.id);
        assert.deepEqual(event.data.roles, ['user', 'admin']);
        const login = await identity.login(user.email, user.password);
        assert.equal(login.statusCode, 200);
        assert.deepEqual(login.json().user.roles, ['user', 'admin']);
      } finally {
        await identity.close();
      }
    });

    it('gets a valid username that nobody has yet', async () => {
      const identity = await start();
      try {
        const taken = await identity.given.user({ username: `boss_${randomUUID().slice(0, 8)}` });
        assert.equal(await availableUsername(database.db, `${taken.username}@example.test`), `${taken.username}_2`);
        assert.equal(await availableUsername(database.db, 'a@example.test'), 'a_admin');
        assert.equal(await availableUsername(database.db, '@example.test'), 'admin');
        assert.match(await availableUsername(database.db, `${'x'.repeat(40)}@example.test`), /^x{30}$/);
      } finally {
        await identity.close();
      }
    });
  });

  describe('mail over SMTP when SMTP_URL is set', () => {
    const received: string[] = [];
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, _session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          received.push(Buffer.concat(chunks).toString('utf8'));
          callback();
        });
      },
    });
    let smtpUrl = '';
    before(async () => {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      smtpUrl = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
    });
    after(async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    it('sends the reset link to the SMTP server, and the link resets the password', async () => {
      const identity = await start({ SMTP_URL: smtpUrl, MAIL_FROM: 'Agora <security@agora.test>' });
      try {
        const user = await identity.given.user();
        assert.equal((await identity.request('POST', `${AUTH}/password/forgot`, { body: { email: user.email } })).statusCode, 202);
        const deadline = performance.now() + 5_000;
        let mail: ReturnType<typeof parseMail> | undefined;
        while (!(mail = received.map(parseMail).find((candidate) => candidate.to === user.email))) {
          assert.ok(performance.now() < deadline, 'no mail reached the SMTP server');
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        assert.match(mail.subject, /reset/i);
        const token = resetTokenIn(mail.text);
        const newPassword = rememberPassword(`smtp-${randomUUID()}`);
        assert.equal((await identity.request('POST', `${AUTH}/password/reset`, { body: { token, newPassword } })).statusCode, 204);
        assert.equal((await identity.login(user.email, newPassword)).statusCode, 200);
        assert.deepEqual(await readdir(path.join(identity.dataDir, 'mailbox')).catch(() => []), [], 'nothing went to the mailbox folder');
      } finally {
        await identity.close();
      }
    });
  });

  describe('GET /openapi.json', () => {
    it('documents every identity route with its statuses, and no password hash anywhere', async () => {
      const identity = await start();
      try {
        const document = (await identity.request('GET', '/openapi.json')).json();
        const expected: Record<string, Record<string, string[]>> = {
          [`${AUTH}/register`]: { post: ['201', '400', '409'] },
          [`${AUTH}/login`]: { post: ['200', '400', '401', '429'] },
          [`${AUTH}/refresh`]: { post: ['200', '400', '401'] },
          [`${AUTH}/logout`]: { post: ['204', '400'] },
          [`${AUTH}/logout-all`]: { post: ['204', '401'] },
          [`${AUTH}/me`]: { get: ['200', '401'], delete: ['204', '400', '401'] },
          [`${AUTH}/password`]: { post: ['204', '400', '401'] },
          [`${AUTH}/password/forgot`]: { post: ['202', '400'] },
          [`${AUTH}/password/reset`]: { post: ['204', '400'] },
          [`${AUTH}/users`]: { get: ['200', '400', '401', '403'] },
          [`${AUTH}/users/{id}/roles`]: { put: ['200', '400', '401', '403', '404'] },
          [`${AUTH}/users/{id}`]: { delete: ['204', '400', '401', '403', '404'] },
          '/.well-known/jwks.json': { get: ['200'] },
        };
        for (const [route, methods] of Object.entries(expected)) {
          for (const [method, statuses] of Object.entries(methods)) {
            const operation = document.paths?.[route]?.[method];
            assert.ok(operation, `${method.toUpperCase()} ${route} is not documented`);
            for (const status of statuses) assert.ok(operation.responses[status], `${method.toUpperCase()} ${route} does not document ${status}`);
          }
        }
        assert.ok(!JSON.stringify(document).includes('passwordHash'));
      } finally {
        await identity.close();
      }
    });
  });

  it('never answered with a password or a password hash', () => {
    assertNoSecretsAnswered();
  });
});
