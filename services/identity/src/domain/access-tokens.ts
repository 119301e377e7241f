/**
 * Access tokens: short-lived EdDSA JWTs (RFC 9068 profile) carrying the user (`sub`), the session
 * (`sid`, what revocation targets) and the roles read when the token was minted.
 */
import { SignJWT } from 'jose';
import { TOKEN_ALGORITHM, TOKEN_AUDIENCE, TOKEN_ISSUER, type Role } from '@agora/kit/auth/access-token';
import type { IdentityContext } from './context.ts';

export async function issueAccessToken(ctx: IdentityContext, claims: { userId: string; sessionId: string; roles: Role[] }): Promise<string> {
  const { kid, key } = await ctx.keys.signingKey();
  const issuedAt = Math.floor(ctx.clock.now().getTime() / 1000);
  return new SignJWT({ sid: claims.sessionId, roles: claims.roles })
    .setProtectedHeader({ alg: TOKEN_ALGORITHM, kid, typ: 'at+jwt' })
    .setIssuer(TOKEN_ISSUER)
    .setAudience(TOKEN_AUDIENCE)
    .setSubject(claims.userId)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + ctx.config.ACCESS_TOKEN_TTL_SECONDS)
    .sign(key);
}
