/** Password-reset tokens, stored as hashes. Every function takes the database or an open transaction. */
import { and, eq, gt, isNull, lt } from 'drizzle-orm';
import type { Queryable } from '@agora/kit/db/database';
import { passwordResetTokens } from './schema.ts';

export async function insertResetToken(
  q: Queryable,
  token: { tokenHash: string; userId: string; createdAt: Date; expiresAt: Date },
): Promise<void> {
  await q.insert(passwordResetTokens).values(token);
}

/** Uses a token if it is unused and unexpired, atomically (single use even under a race); returns its user. */
export async function useResetToken(q: Queryable, tokenHash: string, at: Date): Promise<string | null> {
  const [row] = await q
    .update(passwordResetTokens)
    .set({ usedAt: at })
    .where(and(eq(passwordResetTokens.tokenHash, tokenHash), isNull(passwordResetTokens.usedAt), gt(passwordResetTokens.expiresAt, at)))
    .returning({ userId: passwordResetTokens.userId });
  return row?.userId ?? null;
}

/** Voids a user's outstanding tokens: a password just set makes older reset links meaningless. */
export async function voidResetTokensOf(q: Queryable, userId: string, at: Date): Promise<void> {
  await q
    .update(passwordResetTokens)
    .set({ usedAt: at })
    .where(and(eq(passwordResetTokens.userId, userId), isNull(passwordResetTokens.usedAt)));
}

export async function deleteExpiredResetTokens(q: Queryable, before: Date): Promise<number> {
  const deleted = await q.delete(passwordResetTokens).where(lt(passwordResetTokens.expiresAt, before)).returning({ hash: passwordResetTokens.tokenHash });
  return deleted.length;
}
