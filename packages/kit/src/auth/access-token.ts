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

export function createAccessTokenVerifier(options: { keys: JWTVerifyGetKey; revocations: RevocationCheck; clock?: Clock }): AccessTokenVerifier {
  const clock = options.clock ?? systemClock;
  return {
    async verify(token) {
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
        if (error instanceof joseErrors.JOSEError) throw errors.unauthorized('AUTH.INVALID_TOKEN', 'The access token is invalid');
        // JWKS unreachable or similar: not the client's fault.
        throw errors.unavailable('AUTH.KEYS_UNAVAILABLE', 'Signing keys are unavailable', { cause: error });
      }
      const { sub, sid, roles } = payload as { sub: string; sid: unknown; roles?: unknown };
      if (typeof sid !== 'string' || !Array.isArray(roles) || !roles.every((role) => typeof role === 'string' && ROLES.has(role))) {
        throw errors.unauthorized('AUTH.INVALID_TOKEN', 'The access token is invalid');
      }
      if (await options.revocations.isRevoked(sid)) throw errors.unauthorized('AUTH.SESSION_REVOKED', 'The session has been revoked');
      return { userId: sub, sessionId: sid, roles: roles as Role[] };
    },
  };
}
