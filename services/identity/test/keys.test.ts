/**
 * Signing keys: from JWT_SIGNING_KEYS, or generated into the database and rotated there with a
 * lead time before a new key signs and retirement once nothing it signed can still be valid.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it, mock } from 'node:test';
import { eq } from 'drizzle-orm';
import { SignJWT, decodeProtectedHeader, importJWK } from 'jose';
import { ManualClock } from '@agora/kit/clock';
import { ConfigError } from '@agora/kit/config';
import { embeddedClusterDir, openDatabase, openSharedPglite } from '@agora/kit/db/open-database';
import type { Database } from '@agora/kit/db/database';
import { createLogger } from '@agora/kit/logger';
import { TOKEN_AUDIENCE, TOKEN_ISSUER } from '@agora/kit/auth/access-token';
import { databaseKeyRing } from '../src/keys/key-ring.ts';
import { generateSigningKey, rotateSigningKeys } from '../src/keys/signing-keys.ts';
import { listUnretiredKeys } from '../src/db/signing-keys.repository.ts';
import { signingKeys } from '../src/db/schema.ts';
import { AUTH, assertNoSecretsAnswered, startIdentity, type TestIdentity } from './support/identity.ts';

const MINUTE = 60_000;
const run = promisify(execFile);
const jwksOf = async (identity: TestIdentity): Promise<{ kid: string }[]> => (await identity.request('GET', '/.well-known/jwks.json')).json().keys;
const kids = async (identity: TestIdentity): Promise<string[]> => (await jwksOf(identity)).map((key) => key.kid).sort();

describe('signing keys', () => {
  let database: Database;
  before(async () => {
    database = await openDatabase({ service: 'identity' });
  });
  after(async () => {
    await database?.close();
  });

  describe('from JWT_SIGNING_KEYS', () => {
    it('signs with the last key and publishes every one, public halves only', async () => {
      const older = await generateSigningKey();
      const newer = await generateSigningKey();
      const identity = await startIdentity({ database, env: { JWT_SIGNING_KEYS: JSON.stringify([older.privateJwk, newer.privateJwk]) } });
      try {
        assert.deepEqual(await kids(identity), [older.kid, newer.kid].sort());
        for (const key of await jwksOf(identity)) assert.ok(!('d' in key));
        const user = await identity.given.user();
        assert.equal(decodeProtectedHeader(user.accessToken).kid, newer.kid);
        assert.equal((await identity.request('GET', `${AUTH}/me`, { token: user.accessToken })).statusCode, 200);
      } finally {
        await identity.close();
      }
    });

    it('refuses to start with a malformed value, naming JWT_SIGNING_KEYS', async () => {
      const key = await generateSigningKey();
      const other = await generateSigningKey();
      const { d: _d, ...publicOnly } = key.privateJwk;
      const invalid = [
        '[not json',
        '[]',
        JSON.stringify([publicOnly]),
        JSON.stringify([{ ...key.privateJwk, kid: undefined }]),
        JSON.stringify([{ ...key.privateJwk, x: other.privateJwk.x }]),
        JSON.stringify([key.privateJwk, key.privateJwk]),
        JSON.stringify([{ kty: 'oct', k: 'c2VjcmV0', kid: 'hmac' }]),
      ];
      for (const value of invalid) {
        await assert.rejects(startIdentity({ database, env: { JWT_SIGNING_KEYS: value } }), (error: unknown) => {
          assert.ok(error instanceof ConfigError, String(error));
          assert.match(error.problems.join(), /^JWT_SIGNING_KEYS: /);
          return true;
        });
      }
    });
  });

  describe('kept in the database', () => {
    const clock = new ManualClock();
    const travel = (ms: number): void => {
      clock.advance(ms);
      mock.timers.setTime(clock.now().getTime());
    };
    let keysDatabase: Database;
    before(async () => {
      mock.timers.enable({ apis: ['Date'], now: clock.now().getTime() });
      keysDatabase = await openDatabase({ service: 'identity' });
    });
    after(async () => {
      await keysDatabase?.close();
      mock.timers.reset();
    });

    it('generates one key on first start and keeps it across restarts', async () => {
      const first = await startIdentity({ database: keysDatabase, clock });
      const generated = await kids(first);
      await first.close();
      const second = await startIdentity({ database: keysDatabase, clock });
      try {
        assert.equal(generated.length, 1);
        assert.deepEqual(await kids(second), generated);
      } finally {
        await second.close();
      }
    });

    it('publishes a rotated key at once, signs with it after the lead time, and retires the old one after the token lifetime', async () => {
      const start = await startIdentity({ database: keysDatabase, clock });
      const [original] = await kids(start);
      const early = await start.given.user();
      await start.close();

      const { added } = await rotateSigningKeys(keysDatabase, clock);
      let identity = await startIdentity({ database: keysDatabase, clock });
      try {
        assert.deepEqual(await kids(identity), [original!, added.kid].sort(), 'published before it signs');
        assert.equal(decodeProtectedHeader((await identity.login(early.email, early.password)).json().accessToken).kid, original);

        travel(5 * MINUTE);
        const later = (await identity.login(early.email, early.password)).json().accessToken;
        assert.equal(decodeProtectedHeader(later).kid, added.kid, 'signs after the lead time');
        assert.equal((await identity.request('GET', `${AUTH}/me`, { token: early.accessToken })).statusCode, 200, 'tokens of the old key still verify');
        await identity.close();

        travel(16 * MINUTE);
        const second = await rotateSigningKeys(keysDatabase, clock);
        assert.deepEqual(second.retired, [original]);
        identity = await startIdentity({ database: keysDatabase, clock });
        assert.deepEqual(await kids(identity), [added.kid, second.added.kid].sort());

        // A token made now with the retired key's private half is no longer accepted.
        const [row] = await keysDatabase.db.select().from(signingKeys).where(eq(signingKeys.kid, original!));
        const user = await identity.given.user();
        const forged = await new SignJWT({ sid: '01a2006e-951d-72df-9fe3-394a10d0a77d', roles: ['user'] })
          .setProtectedHeader({ alg: 'EdDSA', kid: original! })
          .setIssuer(TOKEN_ISSUER)
          .setAudience(TOKEN_AUDIENCE)
          .setSubject(user.id)
          .setIssuedAt()
          .setExpirationTime('5m')
          .sign(await importJWK(row!.privateJwk, 'EdDSA'));
        const refused = await identity.request('GET', `${AUTH}/me`, { token: forged });
        assert.equal(refused.statusCode, 401);
        assert.equal(refused.json().code, 'AUTH.INVALID_TOKEN');
      } finally {
        await identity.close();
      }
    });

    it('reaches running instances through the periodic reload', async () => {
      const ring = await databaseKeyRing(keysDatabase, clock, createLogger('identity', 'silent'), 20);
      try {
        const { added } = await rotateSigningKeys(keysDatabase, clock);
        const deadline = performance.now() + 2_000;
        while (!ring.publicKeys().some((key) => key.kid === added.kid)) {
          assert.ok(performance.now() < deadline, 'the new key never showed up');
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        assert.deepEqual(
          ring.publicKeys().map((key) => key.kid).sort(),
          (await listUnretiredKeys(keysDatabase.db)).map((row) => row.kid).sort(),
        );
      } finally {
        ring.close();
      }
    });
  });

  describe('src/rotate-keys.ts', () => {
    const script = path.join(import.meta.dirname, '..', 'src', 'rotate-keys.ts');

    it('adds a key to the embedded platform\'s database and prints what it did', async () => {
      const dataDir = await mkdtemp(path.join(tmpdir(), 'agora-rotate-'));
      try {
        const env = { ...process.env, AGORA_DATA_DIR: dataDir, LOG_LEVEL: 'silent', DATABASE_URL: '' };
        const { stdout } = await run(process.execPath, [script, '--lead-seconds=60'], { env });
        const result = JSON.parse(stdout);
        assert.equal(typeof result.added.kid, 'string');
        assert.deepEqual(result.retired, []);
        // Where `npm start` keeps identity's data: its schema in the platform's PGlite cluster.
        const cluster = await openSharedPglite({ dataDir: embeddedClusterDir(dataDir) });
        const stored = await openDatabase({ service: 'identity', shared: cluster });
        try {
          assert.deepEqual((await listUnretiredKeys(stored.db)).map((row) => row.kid), [result.added.kid]);
        } finally {
          await stored.close();
          await cluster.close();
        }
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    });

    it('refuses to run when keys come from JWT_SIGNING_KEYS', async () => {
      const key = await generateSigningKey();
      const env = { ...process.env, JWT_SIGNING_KEYS: JSON.stringify([key.privateJwk]), LOG_LEVEL: 'silent' };
      await assert.rejects(run(process.execPath, [script], { env }), (error: { code?: number; stderr?: string }) => {
        assert.equal(error.code, 2);
        assert.match(error.stderr ?? '', /JWT_SIGNING_KEYS/);
        return true;
      });
    });
  });

  it('never answered with a password or a password hash', () => {
    assertNoSecretsAnswered();
  });
});
