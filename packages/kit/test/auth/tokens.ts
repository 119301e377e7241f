/**
 * An identity stand-in for tests: a real Ed25519 key pair, its JWKS, and a signer that issues
 * access tokens as identity does (or, on request, as identity never would), timed on a clock.
 */
import { randomUUID } from 'node:crypto';
import { SignJWT, base64url, createLocalJWKSet, exportJWK, exportSPKI, generateKeyPair, type JWK, type JWTVerifyGetKey } from 'jose';
import { TOKEN_AUDIENCE, TOKEN_ISSUER, ACCESS_TOKEN_TTL_SECONDS } from '../../src/auth/access-token.ts';
import type { Clock } from '../../src/clock.ts';

/** Claims to set; `undefined` leaves a claim out of the token altogether. */
export type ClaimOverrides = Record<string, unknown>;

export interface TestIssuer {
  readonly jwks: { keys: JWK[] };
  readonly keys: JWTVerifyGetKey;
  /** The public key as identity publishes it: raw Ed25519 bytes and SPKI PEM text. */
  readonly publicKeyBytes: Uint8Array;
  readonly publicKeyPem: string;
  /** The usual claims: a fresh user and session, role `user`, issued now for the normal lifetime. */
  claims(overrides?: ClaimOverrides): Record<string, unknown>;
  sign(overrides?: ClaimOverrides): Promise<string>;
}

export const seconds = (date: Date): number => Math.floor(date.getTime() / 1000);

export async function createTestIssuer(clock: Clock, kid = 'test-key-1'): Promise<TestIssuer> {
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' };
  const jwks = { keys: [jwk] };
  const claims = (overrides: ClaimOverrides = {}): Record<string, unknown> => {
    const iat = seconds(clock.now());
    const all: Record<string, unknown> = {
      iss: TOKEN_ISSUER,
      aud: TOKEN_AUDIENCE,
      sub: `user-${randomUUID()}`,
      sid: `session-${randomUUID()}`,
      roles: ['user'],
      iat,
      exp: iat + ACCESS_TOKEN_TTL_SECONDS,
      ...overrides,
    };
    return Object.fromEntries(Object.entries(all).filter(([, value]) => value !== undefined));
  };
  return {
    jwks,
    keys: createLocalJWKSet(jwks),
    publicKeyBytes: base64url.decode(jwk.x!),
    publicKeyPem: await exportSPKI(publicKey),
    claims,
    sign: (overrides) => new SignJWT(claims(overrides)).setProtectedHeader({ alg: 'EdDSA', kid, typ: 'JWT' }).sign(privateKey),
  };
}

/** Base64url of a JSON value, for hand-built tokens. */
export const segment = (value: unknown): string => base64url.encode(JSON.stringify(value));
