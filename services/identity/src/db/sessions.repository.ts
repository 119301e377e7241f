/** Sessions and their refresh-token families. Every function takes the database or an open transaction. */
import { and, eq, gt, isNotNull, isNull, lt, ne, or } from 'drizzle-orm';
import type { Queryable } from '@agora/kit/db/database';
import { refreshTokens, sessions, type SessionRow } from './schema.ts';

export type { SessionRow };

export type RevocationReason = 'logout' | 'logout_all' | 'refresh_reused' | 'password_changed' | 'password_reset' | 'account_deleted';

export interface RevokedSession {
  id: string;
  userId: string;
}

export async function insertSession(q: Queryable, session: Pick<SessionRow, 'id' | 'userId' | 'createdAt' | 'expiresAt'>): Promise<void> {
  await q.insert(sessions).values(session);
}

export async function findSession(q: Queryable, id: string): Promise<SessionRow | null> {
  const [row] = await q.select().from(sessions).where(eq(sessions.id, id));
  return row ?? null;
}

export async function insertRefreshToken(q: Queryable, token: { tokenHash: string; sessionId: string; createdAt: Date }): Promise<void> {
  await q.insert(refreshTokens).values(token);
}

/**
 * Spends a refresh token if, and only if, it is unspent: one conditional UPDATE, so of two
 * requests racing with one token exactly one gets its session id back.
 */
export async function spendRefreshToken(q: Queryable, tokenHash: string, at: Date): Promise<string | null> {
  const [row] = await q
    .update(refreshTokens)
    .set({ spentAt: at })
    .where(and(eq(refreshTokens.tokenHash, tokenHash), isNull(refreshTokens.spentAt)))
    .returning({ sessionId: refreshTokens.sessionId });
  return row?.sessionId ?? null;
}

export async function findRefreshToken(q: Queryable, tokenHash: string): Promise<{ sessionId: string; spentAt: Date | null } | null> {
  const [row] = await q
    .select({ sessionId: refreshTokens.sessionId, spentAt: refreshTokens.spentAt })
    .from(refreshTokens)
    .where(eq(refreshTokens.tokenHash, tokenHash));
  return row ?? null;
}

export async function revokeSession(q: Queryable, id: string, reason: RevocationReason, at: Date): Promise<RevokedSession | null> {
  const [row] = await q
    .update(sessions)
    .set({ revokedAt: at, revokedReason: reason })
    .where(and(eq(sessions.id, id), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id, userId: sessions.userId });
  return row ?? null;
}

/**
 * Revokes every unrevoked session of a user (but `exceptSessionId` when given) that could still
 * have a live access token, i.e. ended after `endedAfter`; returns those it revoked.
 */
export async function revokeSessionsOfUser(
  q: Queryable,
  userId: string,
  options: { reason: RevocationReason; at: Date; endedAfter: Date; exceptSessionId?: string | undefined },
): Promise<RevokedSession[]> {
  return q
    .update(sessions)
    .set({ revokedAt: options.at, revokedReason: options.reason })
    .where(
      and(
        eq(sessions.userId, userId),
        isNull(sessions.revokedAt),
        gt(sessions.expiresAt, options.endedAfter),
        options.exceptSessionId === undefined ? undefined : ne(sessions.id, options.exceptSessionId),
      ),
    )
    .returning({ id: sessions.id, userId: sessions.userId });
}

/** Sessions that ended (expired or revoked) before `before`, with their token families. */
export async function deleteEndedSessions(q: Queryable, before: Date): Promise<number> {
  const deleted = await q
    .delete(sessions)
    .where(or(lt(sessions.expiresAt, before), and(isNotNull(sessions.revokedAt), lt(sessions.revokedAt, before))))
    .returning({ id: sessions.id });
  return deleted.length;
}
