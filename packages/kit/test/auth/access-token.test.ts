import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it, type TestContext } from 'node:test';
import { SignJWT, type JWTVerifyGetKey } from 'jose';
import { ACCESS_TOKEN_TTL_SECONDS, createAccessTokenVerifier, remoteKeys, type AccessTokenVerifier } from '../../src/auth/access-token.ts';
import { ManualClock } from '../../src/clock.ts';
import { AppError } from '../../src/errors.ts';
import { createMemoryStores } from '../../src/store/memory-stores.ts';
import { createRevocationList, type RevocationList } from '../../src/store/revocation.ts';
import { createTestIssuer, seconds, segment, type TestIssuer } from './tokens.ts';

// Far from the real date, so a verifier that read the system clock instead would refuse every token.
const START = new Date('2031-05-01T12:00:00Z');

interface Setup {
  clock: ManualClock;
  issuer: TestIssuer;
  revocations: RevocationList;
  verifier: AccessTokenVerifier;
}

const given = {
  async setup(t: TestContext): Promise<Setup> {
    const clock = new ManualClock(START);
    const stores = createMemoryStores({ clock });
    t.after(() => stores.close());
    const issuer = await createTestIssuer(clock);
    const revocations = createRevocationList(stores.kv);
    return { clock, issuer, revocations, verifier: createAccessTokenVerifier({ keys: issuer.keys, revocations, clock }) };
  },
};

/** Asserts the verifier refuses the token with a 401 carrying this code. */
async function refuses(verifier: AccessTokenVerifier, token: string, code: string, status = 401): Promise<void> {
  await assert.rejects(verifier.verify(token), (error: unknown) => {
    assert.ok(error instanceof AppError, `expected an AppError, got ${String(error)}`);
    assert.equal(error.code, code);
    assert.equal(error.status, status);
    return true;
  });
}

void describe('createAccessTokenVerifier', () => {
  void it('accepts a token identity signed and returns its principal', async (t) => {
    const { issuer, verifier } = await given.setup(t);
    const token = await issuer.sign({ sub: 'user-7', sid: 'session-7', roles: ['user', 'seller'] });
    assert.deepEqual(await verifier.verify(token), { userId: 'user-7', sessionId: 'session-7', roles: ['user', 'seller'] });
  });

  void describe('refuses forged tokens with AUTH.INVALID_TOKEN', () => {
    void it('an unsigned token (alg: none) with otherwise valid claims', async (t) => {
      const { issuer, verifier } = await given.setup(t);
      const claims = issuer.claims({ roles: ['admin'] });
      for (const alg of ['none', 'None', 'NONE']) {
        await refuses(verifier, `${segment({ alg, typ: 'JWT' })}.${segment(claims)}.`, 'AUTH.INVALID_TOKEN');
      }
    });

    void it('an HS256 token whose HMAC secret is the public key', async (t) => {
      const { issuer, verifier } = await given.setup(t);
      for (const secret of [issuer.publicKeyBytes, new TextEncoder().encode(issuer.publicKeyPem)]) {
        const token = await new SignJWT(issuer.claims({ roles: ['admin'] })).setProtectedHeader({ alg: 'HS256', kid: 'test-key-1', typ: 'JWT' }).sign(secret);
        await refuses(verifier, token, 'AUTH.INVALID_TOKEN');
      }
    });

    void it('an HS256 token, by its algorithm allow-list, even where a key lookup would hand out the public key bytes', async (t) => {
      const { clock, issuer, revocations } = await given.setup(t);
      // A naive resolver: the JWKS key for EdDSA, the raw public key for anything else.
      const naiveKeys: JWTVerifyGetKey = (header, token) => (header.alg === 'EdDSA' ? issuer.keys(header, token) : issuer.publicKeyBytes);
      const verifier = createAccessTokenVerifier({ keys: naiveKeys, revocations, clock });
      assert.ok(await verifier.verify(await issuer.sign()), 'the resolver serves the real key');
      const token = await new SignJWT(issuer.claims({ roles: ['admin'] })).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(issuer.publicKeyBytes);
      await refuses(verifier, token, 'AUTH.INVALID_TOKEN');
    });

    void it('a signed token whose payload was changed afterwards', async (t) => {
      const { issuer, verifier } = await given.setup(t);
      const [header, payload, signature] = (await issuer.sign({ sub: 'user-1', roles: ['user'] })).split('.');
      const original = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8'));
      await refuses(verifier, [header, segment({ ...original, roles: ['user', 'admin'] }), signature].join('.'), 'AUTH.INVALID_TOKEN');
      // The untouched token is fine, so the refusal is the tampering's doing.
      assert.equal((await verifier.verify([header, payload, signature].join('.'))).userId, 'user-1');
    });

    void it('a token signed by another key under the same key id', async (t) => {
      const { clock, verifier } = await given.setup(t);
      const impostor = await createTestIssuer(clock, 'test-key-1');
      await refuses(verifier, await impostor.sign(), 'AUTH.INVALID_TOKEN');
    });

    void it('text that is not a JWT at all', async (t) => {
      const { verifier } = await given.setup(t);
      for (const junk of ['not-a-token', 'a.b.c', '', '..']) await refuses(verifier, junk, 'AUTH.INVALID_TOKEN');
    });
  });

  void describe('refuses tokens with the wrong claims with AUTH.INVALID_TOKEN', () => {
    const cases: [string, Record<string, unknown>][] = [
      ['from another issuer', { iss: 'evil-identity' }],
      ['for another audience', { aud: 'other-app' }],
      ['without a session id', { sid: undefined }],
      ['with a session id that is not a string', { sid: 42 }],
      ['without a subject', { sub: undefined }],
      ['without roles', { roles: undefined }],
      ['with an unknown role', { roles: ['user', 'superuser'] }],
      ['with roles that are not a list', { roles: 'admin' }],
      ['without an expiry', { exp: undefined }],
      ['without an issue time', { iat: undefined }],
    ];
    for (const [name, overrides] of cases) {
      void it(`a token ${name}`, async (t) => {
        const { issuer, verifier } = await given.setup(t);
        await refuses(verifier, await issuer.sign(overrides), 'AUTH.INVALID_TOKEN');
      });
    }
  });

  void it(
    'refuses a signed token with an empty session id as invalid, not with a 500',

    async (t) => {
      const { issuer, verifier } = await given.setup(t);
      await refuses(verifier, await issuer.sign({ sid: '' }), 'AUTH.INVALID_TOKEN');
    },
  );

  void it(
    'refuses a signed token whose subject is not a non-empty string',
    async (t) => {
      const { issuer, verifier } = await given.setup(t);
      for (const sub of [42, '']) await refuses(verifier, await issuer.sign({ sub }), 'AUTH.INVALID_TOKEN');
    },
  );

  void describe('expiry, on the injected clock', () => {
    void it('refuses a token whose exp has passed with AUTH.TOKEN_EXPIRED', async (t) => {
      const { clock, issuer, verifier } = await given.setup(t);
      const now = seconds(clock.now());
      await refuses(verifier, await issuer.sign({ iat: now - 120, exp: now - 60 }), 'AUTH.TOKEN_EXPIRED');
    });

    void it('accepts a token until its exp and refuses it once the clock passes exp', async (t) => {
      const { clock, issuer, verifier } = await given.setup(t);
      const token = await issuer.sign();
      clock.advance((ACCESS_TOKEN_TTL_SECONDS - 1) * 1000);
      assert.ok(await verifier.verify(token));
      clock.advance(2_000);
      await refuses(verifier, token, 'AUTH.TOKEN_EXPIRED');
    });

    void it('refuses a token issued longer ago than an access token may live, whatever its exp says', async (t) => {
      const { clock, issuer, verifier } = await given.setup(t);
      const token = await issuer.sign({ exp: seconds(clock.now()) + 24 * 3600 });
      assert.ok(await verifier.verify(token));
      clock.advance((ACCESS_TOKEN_TTL_SECONDS + 61) * 1000);
      await refuses(verifier, token, 'AUTH.TOKEN_EXPIRED');
    });

    void it('refuses a token issued in the future of its clock', async (t) => {
      const { clock, issuer, verifier } = await given.setup(t);
      const later = seconds(clock.now()) + 600;
      await refuses(verifier, await issuer.sign({ iat: later, exp: later + ACCESS_TOKEN_TTL_SECONDS }), 'AUTH.INVALID_TOKEN');
    });
  });

  void describe('revocation', () => {
    void it('refuses a token of a revoked session at once with AUTH.SESSION_REVOKED, not only at expiry', async (t) => {
      const { issuer, revocations, verifier } = await given.setup(t);
      const token = await issuer.sign({ sid: 'session-revoked' });
      assert.ok(await verifier.verify(token));
      await revocations.revoke('session-revoked', ACCESS_TOKEN_TTL_SECONDS * 1000);
      await refuses(verifier, token, 'AUTH.SESSION_REVOKED');
    });

    void it('leaves the other sessions of the same user alone', async (t) => {
      const { issuer, revocations, verifier } = await given.setup(t);
      const revoked = await issuer.sign({ sub: 'user-9', sid: 'session-a' });
      const other = await issuer.sign({ sub: 'user-9', sid: 'session-b' });
      await revocations.revoke('session-a', ACCESS_TOKEN_TTL_SECONDS * 1000);
      await refuses(verifier, revoked, 'AUTH.SESSION_REVOKED');
      assert.equal((await verifier.verify(other)).sessionId, 'session-b');
    });

    void it('does not let a revoked session through a forged token either: the signature is checked first', async (t) => {
      const { issuer, revocations, verifier } = await given.setup(t);
      await revocations.revoke('session-x', ACCESS_TOKEN_TTL_SECONDS * 1000);
      const forged = `${segment({ alg: 'none' })}.${segment(issuer.claims({ sid: 'session-x' }))}.`;
      await refuses(verifier, forged, 'AUTH.INVALID_TOKEN');
    });
  });
});

/** A local JWKS endpoint, answering with whatever status and body the test picks. */
async function jwksServer(t: TestContext, answer: { status: number; body: string }): Promise<string> {
  const server: Server = createServer((_request, response) => {
    response.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
}

void describe('remoteKeys', () => {
  void it('verifies tokens against the JWKS identity serves', async (t) => {
    const { clock, issuer, revocations } = await given.setup(t);
    const url = await jwksServer(t, { status: 200, body: JSON.stringify(issuer.jwks) });
    const verifier = createAccessTokenVerifier({ keys: remoteKeys(url), revocations, clock });
    assert.equal((await verifier.verify(await issuer.sign({ sub: 'user-r' }))).userId, 'user-r');
  });

  void it('answers 503 AUTH.KEYS_UNAVAILABLE, not a 401, when identity cannot be reached', async (t) => {
    const { clock, issuer, revocations } = await given.setup(t);
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const verifier = createAccessTokenVerifier({ keys: remoteKeys(`http://127.0.0.1:${port}/.well-known/jwks.json`), revocations, clock });
    await refuses(verifier, await issuer.sign(), 'AUTH.KEYS_UNAVAILABLE', 503);
  });

  void it(
    'answers 503 AUTH.KEYS_UNAVAILABLE, not a 401, when identity answers its JWKS with an error',

    async (t) => {
      const { clock, issuer, revocations } = await given.setup(t);
      const url = await jwksServer(t, { status: 503, body: '{"type":"/problems/unavailable"}' });
      const verifier = createAccessTokenVerifier({ keys: remoteKeys(url), revocations, clock });
      await refuses(verifier, await issuer.sign(), 'AUTH.KEYS_UNAVAILABLE', 503);
    },
  );
});
