/** Deletes what can no longer matter: sessions ended a day ago (with their tokens) and expired reset tokens. */
import { deleteExpiredResetTokens } from '../db/reset-tokens.repository.ts';
import { deleteEndedSessions } from '../db/sessions.repository.ts';
import type { IdentityContext } from './context.ts';

/** Long enough that a reused token of a recently revoked session is still recognized as reuse. */
const KEEP_ENDED_MS = 24 * 60 * 60_000;

export async function purgeEnded(ctx: IdentityContext): Promise<{ sessions: number; resetTokens: number }> {
  const before = new Date(ctx.clock.now().getTime() - KEEP_ENDED_MS);
  return {
    sessions: await deleteEndedSessions(ctx.database.db, before),
    resetTokens: await deleteExpiredResetTokens(ctx.database.db, before),
  };
}
