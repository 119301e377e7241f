/** Ending sessions: the one a refresh token belongs to, or every session of the signed-in user. */
import { findRefreshToken, revokeSession, revokeSessionsOfUser } from '../db/sessions.repository.ts';
import type { IdentityContext, RequestMeta } from './context.ts';
import { hashToken } from './credentials.ts';
import { announceRevocations, liveTokensSince, pushRevocations } from './sessions.ts';

/**
 * Any token of the family (current or already rotated) names the session. An unknown or garbage
 * token is not an error: logout is idempotent, the caller wants the session gone and it is (or
 * never was), and answering differently would tell a prober which tokens exist.
 */
export async function logOut(ctx: IdentityContext, input: { refreshToken: string }, meta: RequestMeta): Promise<void> {
  const known = await findRefreshToken(ctx.database.db, hashToken(input.refreshToken));
  if (!known) return;
  const at = ctx.clock.now();
  const revoked = await ctx.database.transaction(async (tx) => {
    const session = await revokeSession(tx, known.sessionId, 'logout', at);
    return announceRevocations(ctx, tx, session ? [session] : [], 'logout', at, meta);
  });
  await pushRevocations(ctx, revoked);
}

export async function logOutEverywhere(ctx: IdentityContext, userId: string, meta: RequestMeta): Promise<void> {
  const at = ctx.clock.now();
  const revoked = await ctx.database.transaction(async (tx) => {
    const sessions = await revokeSessionsOfUser(tx, userId, { reason: 'logout_all', at, endedAfter: liveTokensSince(ctx, at) });
    return announceRevocations(ctx, tx, sessions, 'logout_all', at, meta);
  });
  await pushRevocations(ctx, revoked);
}
