/**
 * Refresh-token rotation (RFC 9700 §4.14.2): the presented token is spent atomically and a new
 * one of the same family is issued, with an access token carrying the roles as they are now.
 * A spent token presented again means a copy is in someone else's hands: the whole session is
 * revoked, so the legitimate holder's newer token dies too and both parties must sign in again.
 * A client must therefore never refresh twice in parallel with one token.
 */
import { errors } from '@agora/kit/errors';
import { findRefreshToken, findSession, revokeSession, spendRefreshToken } from '../db/sessions.repository.ts';
import { findUserById } from '../db/users.repository.ts';
import type { IdentityContext, RequestMeta } from './context.ts';
import { hashToken } from './credentials.ts';
import { announceRevocations, mintTokens, pushRevocations, type SessionView } from './sessions.ts';

type Outcome = { kind: 'rotated'; session: SessionView } | { kind: 'reused'; revoked: string[] } | { kind: 'unknown' };

export async function refreshSession(ctx: IdentityContext, input: { refreshToken: string }, meta: RequestMeta): Promise<SessionView> {
  const tokenHash = hashToken(input.refreshToken);
  const at = ctx.clock.now();
  const outcome = await ctx.database.transaction(async (tx): Promise<Outcome> => {
    const sessionId = await spendRefreshToken(tx, tokenHash, at);
    if (sessionId === null) {
      const known = await findRefreshToken(tx, tokenHash);
      if (!known) return { kind: 'unknown' };
      const revoked = await revokeSession(tx, known.sessionId, 'refresh_reused', at);
      return { kind: 'reused', revoked: await announceRevocations(ctx, tx, revoked ? [revoked] : [], 'refresh_reused', at, meta) };
    }
    // Throwing below rolls the spend back: the token stays as it was.
    const session = await findSession(tx, sessionId);
    if (!session || session.revokedAt) throw errors.unauthorized('AUTH.SESSION_REVOKED', 'The session has been revoked');
    if (session.expiresAt.getTime() <= at.getTime()) throw errors.unauthorized('AUTH.SESSION_EXPIRED', 'The session has expired; sign in again');
    const user = await findUserById(tx, session.userId);
    if (!user) throw errors.unauthorized('AUTH.SESSION_REVOKED', 'The session has been revoked');
    return { kind: 'rotated', session: await mintTokens(ctx, tx, user, session.id, at) };
  });

  switch (outcome.kind) {
    case 'rotated':
      return outcome.session;
    case 'reused':
      await pushRevocations(ctx, outcome.revoked);
      throw errors.unauthorized('AUTH.REFRESH_REUSED', 'This refresh token was already used; the session has been revoked');
    case 'unknown':
      throw errors.unauthorized('AUTH.INVALID_REFRESH_TOKEN', 'The refresh token is invalid');
  }
}
