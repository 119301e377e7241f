/**
 * Access-token verification shared by every service and the gateway. Tokens are EdDSA-signed
 * JWTs from identity, checked against its JWKS; only the asymmetric algorithm identity uses is
 * accepted, so `alg: none` and HS256 tokens signed with a public key are refused. A revoked
 * session is refused at once through the revocation list, not at token expiry.
 */
import { jwtVerify, createRemoteJWKSet, errors as joseErrors, type JWTVerifyGetKey } from 'jose';
import { errors } from '../errors.ts';
import { systemClock, type Clock } from '../clock.ts';

export const TOKEN_ISSUER = 'agora-identity';
export const TOKEN_AUDIENCE = 'agora';
export const TOKEN_ALGORITHM = 'EdDSA';
/** Access tokens live at most this long; revocation entries must outlive them. */
export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;

export type Role = 'user' | 'seller' | 'admin';

export interface Principal {
  userId: string;
  sessionId: string;
  roles: Role[];
}

export interface RevocationCheck {
  isRevoked(sessionId: string): Promise<boolean>;
}

export interface AccessTokenVerifier {
  verify(token: string): Promise<Principal>;
}

export function remoteKeys(jwksUrl: string): JWTVerifyGetKey {
  return createRemoteJWKSet(new URL(jwksUrl), { cooldownDuration: 5_000, cacheMaxAge: 10 * 60_000, timeoutDuration: 2_000 });
}

const ROLES = new Set<string>(['user', 'seller', 'admin']);
/** The lifetime plus a minute of clock skew between identity and the verifier. */
const MAX_TOKEN_AGE_SECONDS = ACCESS_TOKEN_TTL_SECONDS + 60;

const isNonEmptyString = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

/**
 * The JWKS could not be had (timeout, not 200, not a key set): identity's outage, not the
 * caller's bad token. jose reports a non-200 answer as a generic JOSEError.
 */
function keysUnavailable(error: unknown): boolean {
  if (error instanceof joseErrors.JWKSTimeout || error instanceof joseErrors.JWKSInvalid) return true;
  if (error instanceof joseErrors.JOSEError) return error.code === 'ERR_JOSE_GENERIC';
  return true;
}

/** How many verified tokens a verifier remembers; each is a few hundred bytes. */
const VERIFIED_TOKENS_CACHED = 10_000;

interface VerifiedToken {
  principal: Principal;
  /** Epoch ms of the token's `exp`. */
  expiresAt: number;
}

/**
 * Verifies access tokens. A token whose signature and claims were checked once is remembered
 * (by its exact text, so nothing forged can hit the cache) until it expires: a client sends the
 * same token on every request for up to 15 minutes, and the signature check is the largest CPU
 * cost of an authenticated request. Expiry and revocation are still checked on every call.
 */
export function createAccessTokenVerifier(options: { keys: JWTVerifyGetKey; revocations: RevocationCheck; clock?: Clock }): AccessTokenVerifier {
  const clock = options.clock ?? systemClock;
  const verified = new Map<string, VerifiedToken>();

  async function verifySignatureAndClaims(token: string): Promise<VerifiedToken> {
    let payload;
    try {
      ({ payload } = await jwtVerify(token, options.keys, {
        issuer: TOKEN_ISSUER,
        audience: TOKEN_AUDIENCE,
        algorithms: [TOKEN_ALGORITHM],
        requiredClaims: ['sub', 'sid', 'exp'],
        maxTokenAge: ACCESS_TOKEN_TTL_SECONDS + 60,
        currentDate: clock.now(),
      }));
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw errors.unauthorized('AUTH.TOKEN_EXPIRED', 'The access token has expired');
      if (keysUnavailable(error)) throw errors.unavailable('AUTH.KEYS_UNAVAILABLE', 'Signing keys are unavailable', { cause: error });
      throw errors.unauthorized('AUTH.INVALID_TOKEN', 'The access token is invalid');
    }
    const { sub, sid, roles, exp, iat } = payload as { sub: unknown; sid: unknown; roles?: unknown; exp: number; iat: number };
    const isRoleList = Array.isArray(roles) && roles.every((role) => typeof role === 'string' && ROLES.has(role));
    if (!isNonEmptyString(sub) || !isNonEmptyString(sid) || !isRoleList) throw errors.unauthorized('AUTH.INVALID_TOKEN', 'The access token is invalid');
    // Remembered no longer than jwtVerify would accept it: until exp, and never past the maximum age.
    const expiresAt = Math.min(exp * 1000, (iat + MAX_TOKEN_AGE_SECONDS) * 1000);
    return { principal: { userId: sub, sessionId: sid, roles: roles as Role[] }, expiresAt };
  }

  return {
    async verify(token) {
      let entry = verified.get(token);
      if (entry) {
        // Re-inserting keeps the map in least-recently-used order for eviction.
        verified.delete(token);
        if (clock.now().getTime() >= entry.expiresAt) throw errors.unauthorized('AUTH.TOKEN_EXPIRED', 'The access token has expired');
      } else {
        entry = await verifySignatureAndClaims(token);
        if (verified.size >= VERIFIED_TOKENS_CACHED) verified.delete(verified.keys().next().value!);
      }
      verified.set(token, entry);
      if (await options.revocations.isRevoked(entry.principal.sessionId)) throw errors.unauthorized('AUTH.SESSION_REVOKED', 'The session has been revoked');
      return entry.principal;
    },
  };
}
