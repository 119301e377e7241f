/**
 * Sessions are refresh-token families (RFC 9700 §4.14.2): opening one mints its first refresh
 * token and an access token; revoking one marks it in the database and announces it through the
 * outbox (same transaction), and, once committed, puts its id on the shared revocation list so
 * the gateway and every service refuse its access tokens at once. The `session.revoked` event
 * also lets the gateway (a consumer of it) rebuild that entry if this process dies in between.
 */
import type { Role } from '@agora/kit/auth/access-token';
import type { Tx } from '@agora/kit/db/database';
import { newId } from '@agora/kit/ids';
import { insertRefreshToken, insertSession, type RevocationReason, type RevokedSession } from '../db/sessions.repository.ts';
import type { UserRow } from '../db/users.repository.ts';
import { issueAccessToken } from './access-tokens.ts';
import { canonicalRoles } from './accounts.ts';
import type { IdentityContext, RequestMeta } from './context.ts';
import { hashToken, newOpaqueToken } from './credentials.ts';
import { emit } from './events.ts';

export interface SessionView {
  user: { id: string; email: string; username: string; roles: Role[] };
  accessToken: string;
  refreshToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** A new refresh token for `sessionId` and a fresh access token with the user's current roles. */
export async function mintTokens(ctx: IdentityContext, tx: Tx, user: UserRow, sessionId: string, at: Date): Promise<SessionView> {
  const refreshToken = newOpaqueToken();
  await insertRefreshToken(tx, { tokenHash: hashToken(refreshToken), sessionId, createdAt: at });
  const roles = canonicalRoles(user.roles);
  const accessToken = await issueAccessToken(ctx, { userId: user.id, sessionId, roles });
  return {
    user: { id: user.id, email: user.email, username: user.username, roles },
    accessToken,
    refreshToken,
    expiresIn: ctx.config.ACCESS_TOKEN_TTL_SECONDS,
  };
}

export async function openSession(ctx: IdentityContext, tx: Tx, user: UserRow): Promise<SessionView> {
  const at = ctx.clock.now();
  const sessionId = newId();
  await insertSession(tx, { id: sessionId, userId: user.id, createdAt: at, expiresAt: new Date(at.getTime() + ctx.config.REFRESH_TOKEN_TTL_DAYS * DAY_MS) });
  return mintTokens(ctx, tx, user, sessionId, at);
}

export const accessTokenTtlMs = (ctx: IdentityContext): number => ctx.config.ACCESS_TOKEN_TTL_SECONDS * 1000;

/** Sessions ending before this can't have a live access token any more: nothing to revoke there. */
export const liveTokensSince = (ctx: IdentityContext, at: Date): Date => new Date(at.getTime() - accessTokenTtlMs(ctx));

/** Writes `session.revoked` for each session just revoked in `tx`; returns their ids for `pushRevocations`. */
export async function announceRevocations(
  ctx: IdentityContext,
  tx: Tx,
  revoked: RevokedSession[],
  reason: RevocationReason,
  at: Date,
  meta: Partial<RequestMeta>,
): Promise<string[]> {
  const revokeUntil = new Date(at.getTime() + accessTokenTtlMs(ctx)).toISOString();
  for (const session of revoked) {
    await emit(tx, 'session.revoked', { sessionId: session.id, userId: session.userId, reason, revokeUntil }, meta);
  }
  return revoked.map((session) => session.id);
}

/** After commit: the revocation list entry outlives every access token the session could have. */
export async function pushRevocations(ctx: IdentityContext, sessionIds: string[]): Promise<void> {
  await Promise.all(sessionIds.map((sessionId) => ctx.revocations.revoke(sessionId, accessTokenTtlMs(ctx))));
}
