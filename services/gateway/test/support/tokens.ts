/** A signing key like identity's (EdDSA, published as JWKS) and access tokens signed with it. */
import { randomUUID } from 'node:crypto';
import { SignJWT, UnsecuredJWT, exportJWK, exportSPKI, generateKeyPair, type JWK } from 'jose';
import { TOKEN_ALGORITHM, TOKEN_AUDIENCE, TOKEN_ISSUER, type Role } from '@agora/kit/auth/access-token';

export interface TokenClaims {
  sub?: string;
  sid?: string;
  roles?: Role[];
  /** Seconds from now; negative for an expired token. */
  expiresIn?: number;
  issuedAgo?: number;
}

export interface Signer {
  jwks: { keys: JWK[] };
  publicKeyPem: string;
  sign(claims?: TokenClaims): Promise<string>;
}

export async function createSigner(): Promise<Signer> {
  const { publicKey, privateKey } = await generateKeyPair(TOKEN_ALGORITHM, { crv: 'Ed25519', extractable: true });
  const kid = randomUUID();
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: TOKEN_ALGORITHM, use: 'sig' };
  return {
    jwks: { keys: [jwk] },
    publicKeyPem: await exportSPKI(publicKey),
    async sign(claims = {}) {
      const now = Math.floor(Date.now() / 1000);
      const issuedAt = now - (claims.issuedAgo ?? 0);
      return new SignJWT({ sid: claims.sid ?? randomUUID(), roles: claims.roles ?? ['user'] })
        .setProtectedHeader({ alg: TOKEN_ALGORITHM, kid })
        .setIssuer(TOKEN_ISSUER)
        .setAudience(TOKEN_AUDIENCE)
        .setSubject(claims.sub ?? randomUUID())
        .setIssuedAt(issuedAt)
        .setExpirationTime(now + (claims.expiresIn ?? 600))
        .sign(privateKey);
    },
  };
}

/** The same claims with `alg: none` and no signature. */
export function unsignedToken(sub: string = randomUUID()): string {
  return new UnsecuredJWT({ sid: randomUUID(), roles: ['user'] })
    .setIssuer(TOKEN_ISSUER)
    .setAudience(TOKEN_AUDIENCE)
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime('10m')
    .encode();
}

/** HS256 with the public key as the shared secret: the classic algorithm-confusion attack. */
export async function publicKeyHmacToken(publicKeyPem: string): Promise<string> {
  return new SignJWT({ sid: randomUUID(), roles: ['admin'] })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(TOKEN_ISSUER)
    .setAudience(TOKEN_AUDIENCE)
    .setSubject(randomUUID())
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(new TextEncoder().encode(publicKeyPem));
}

/** Flips the payload so the signature no longer matches. */
export function tamper(token: string): string {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
  claims['roles'] = ['admin'];
  return [header, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join('.');
}
