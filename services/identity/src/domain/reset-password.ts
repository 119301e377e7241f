/** Completing a reset: the token is used up, the password replaced, and every session of the account ends. */
import { errors } from '@agora/kit/errors';
import { revokeSessionsOfUser } from '../db/sessions.repository.ts';
import { useResetToken, voidResetTokensOf } from '../db/reset-tokens.repository.ts';
import { findUserById, updatePasswordHash } from '../db/users.repository.ts';
import type { IdentityContext, RequestMeta } from './context.ts';
import { hashPassword, hashToken } from './credentials.ts';
import { clearAttempts } from './password-attempts.ts';
import { announceRevocations, liveTokensSince, pushRevocations } from './sessions.ts';

export async function resetPassword(ctx: IdentityContext, input: { token: string; newPassword: string }, meta: RequestMeta): Promise<void> {
  const passwordHash = await hashPassword(input.newPassword);
  const at = ctx.clock.now();
  const { email, revoked } = await ctx.database.transaction(async (tx) => {
    const userId = await useResetToken(tx, hashToken(input.token), at);
    const user = userId === null ? null : await findUserById(tx, userId);
    if (!user) throw errors.badRequest('AUTH.INVALID_RESET_TOKEN', 'The reset link is invalid, used or expired');
    await updatePasswordHash(tx, user.id, passwordHash, at);
    await voidResetTokensOf(tx, user.id, at);
    const sessions = await revokeSessionsOfUser(tx, user.id, { reason: 'password_reset', at, endedAfter: liveTokensSince(ctx, at) });
    return { email: user.email, revoked: await announceRevocations(ctx, tx, sessions, 'password_reset', at, meta) };
  });
  await pushRevocations(ctx, revoked);
  // Whoever just proved control of the mailbox shouldn't stay locked out by earlier failures.
  await clearAttempts(ctx, email, meta.ip);
}
