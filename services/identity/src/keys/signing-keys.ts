/**
 * Ed25519 signing keys as JWKs: generation, the JWT_SIGNING_KEYS format, and rotation of the
 * keys kept in the database. A key is published in the JWKS from the moment it is added and
 * signs only after a lead time, so every verifier's JWKS cache and every identity instance knows
 * it before the first token signed with it shows up; a superseded key stays published until the
 * last token it signed has expired, and is retired by the next rotation after that.
 */
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import { ConfigError } from '@agora/kit/config';
import { ACCESS_TOKEN_TTL_SECONDS, TOKEN_ALGORITHM } from '@agora/kit/auth/access-token';
import type { Clock } from '@agora/kit/clock';
import type { Database } from '@agora/kit/db/database';
import { insertSigningKey, listUnretiredKeys, lockSigningKeys, retireKeys } from '../db/signing-keys.repository.ts';

/** What the JWKS publishes of a key: never `d`. */
export interface PublicJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  kid: string;
  alg: typeof TOKEN_ALGORITHM;
  use: 'sig';
}

export interface KeyMaterial {
  kid: string;
  privateJwk: JWK;
  publicJwk: PublicJwk;
}

/** Longer than the key ring's reload interval (key-ring.ts) and any sane JWKS cache. */
export const KEY_ACTIVATION_LEAD_MS = 5 * 60_000;
/** A superseded key must verify what it signed until then; a minute more covers clock skew. */
const RETIRE_AFTER_MS = (ACCESS_TOKEN_TTL_SECONDS + 60) * 1000;

export function publicHalf(jwk: JWK & { kid: string }): PublicJwk {
  return { kty: 'OKP', crv: 'Ed25519', x: jwk.x!, kid: jwk.kid, alg: TOKEN_ALGORITHM, use: 'sig' };
}

export async function generateSigningKey(): Promise<KeyMaterial> {
  const { privateKey } = await generateKeyPair(TOKEN_ALGORITHM, { crv: 'Ed25519', extractable: true });
  const jwk = await exportJWK(privateKey);
  // RFC 7638 thumbprint: stable, unique per key, and says nothing about when it was made.
  const kid = await calculateJwkThumbprint({ kty: jwk.kty!, crv: jwk.crv!, x: jwk.x! });
  const privateJwk = { ...jwk, kid, alg: TOKEN_ALGORITHM };
  return { kid, privateJwk, publicJwk: publicHalf(privateJwk) };
}

/** Reads JWT_SIGNING_KEYS (a JSON array of private Ed25519 JWKs with `kid`); fails at start naming the problem. */
export function parseConfiguredKeys(json: string): KeyMaterial[] {
  const fail = (problem: string): never => {
    throw new ConfigError([`JWT_SIGNING_KEYS: ${problem}`]);
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return fail('is not valid JSON');
  }
  if (!Array.isArray(parsed) || parsed.length === 0) return fail('must be a non-empty JSON array of private JWKs');
  const seen = new Set<string>();
  return parsed.map((candidate: unknown, index) => {
    const jwk = candidate as Partial<Record<string, unknown>>;
    const where = `key ${index}`;
    if (typeof jwk !== 'object' || jwk === null) return fail(`${where} is not an object`);
    if (jwk['kty'] !== 'OKP' || jwk['crv'] !== 'Ed25519') return fail(`${where} must be an Ed25519 key (kty OKP, crv Ed25519)`);
    if (typeof jwk['kid'] !== 'string' || jwk['kid'] === '') return fail(`${where} needs a kid`);
    if (typeof jwk['d'] !== 'string' || typeof jwk['x'] !== 'string') return fail(`${where} must be a private key (d and x)`);
    if (seen.has(jwk['kid'])) return fail(`kid ${jwk['kid']} appears twice`);
    seen.add(jwk['kid']);
    let derivedX: string | undefined;
    try {
      const privateKey = createPrivateKey({ key: { kty: 'OKP', crv: 'Ed25519', d: jwk['d'], x: jwk['x'] }, format: 'jwk' });
      derivedX = createPublicKey(privateKey).export({ format: 'jwk' }).x;
    } catch {
      return fail(`${where} is not a valid Ed25519 key`);
    }
    if (derivedX !== jwk['x']) return fail(`${where}: x is not the public half of d`);
    const privateJwk: JWK & { kid: string } = { kty: 'OKP', crv: 'Ed25519', d: jwk['d'], x: jwk['x'], kid: jwk['kid'], alg: TOKEN_ALGORITHM };
    return { kid: privateJwk.kid, privateJwk, publicJwk: publicHalf(privateJwk) };
  });
}

/** First start: a key that signs at once (nothing to wait for when no token exists yet). */
export async function ensureSigningKey(database: Database, clock: Clock): Promise<void> {
  await database.transaction(async (tx) => {
    await lockSigningKeys(tx);
    if ((await listUnretiredKeys(tx)).length > 0) return;
    const key = await generateSigningKey();
    const now = clock.now();
    await insertSigningKey(tx, { ...key, createdAt: now, activeFrom: now });
  });
}

export interface RotationResult {
  added: { kid: string; activeFrom: string };
  retired: string[];
}

/**
 * Adds a key that signs from `now + leadMs` and retires every key whose successor has been
 * signing for longer than the access-token lifetime (nothing it signed can still be valid).
 */
export async function rotateSigningKeys(database: Database, clock: Clock, leadMs: number = KEY_ACTIVATION_LEAD_MS): Promise<RotationResult> {
  return database.transaction(async (tx) => {
    await lockSigningKeys(tx);
    const now = clock.now();
    const key = await generateSigningKey();
    const activeFrom = new Date(now.getTime() + leadMs);
    await insertSigningKey(tx, { ...key, createdAt: now, activeFrom });

    const keys = await listUnretiredKeys(tx);
    const retired = keys
      .filter((current, index) => {
        const successor = keys[index + 1];
        return successor !== undefined && successor.activeFrom.getTime() + RETIRE_AFTER_MS <= now.getTime();
      })
      .map((row) => row.kid);
    await retireKeys(tx, retired, now);
    return { added: { kid: key.kid, activeFrom: activeFrom.toISOString() }, retired };
  });
}
