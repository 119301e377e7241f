/** Password change by a signed-in user: every other session ends, the one making the change stays. */
import { revokeSessionsOfUser } from '../db/sessions.repository.ts';
import { voidResetTokensOf } from '../db/reset-tokens.repository.ts';
import { updatePasswordHash } from '../db/users.repository.ts';
import type { Principal } from '@agora/kit/auth/access-token';
import { confirmPassword } from './confirm-password.ts';
import type { IdentityContext, RequestMeta } from './context.ts';
import { hashPassword } from './credentials.ts';
import { announceRevocations, liveTokensSince, pushRevocations } from './sessions.ts';

export async function changePassword(
  ctx: IdentityContext,
  principal: Principal,
  input: { currentPassword: string; newPassword: string },
  meta: RequestMeta,
): Promise<void> {
  const user = await confirmPassword(ctx, principal.userId, input.currentPassword, meta);
  const passwordHash = await hashPassword(input.newPassword);
  const at = ctx.clock.now();
  const revoked = await ctx.database.transaction(async (tx) => {
    await updatePasswordHash(tx, user.id, passwordHash, at);
    await voidResetTokensOf(tx, user.id, at);
    const sessions = await revokeSessionsOfUser(tx, user.id, {
      reason: 'password_changed',
      at,
      endedAfter: liveTokensSince(ctx, at),
      exceptSessionId: principal.sessionId,
    });
    return announceRevocations(ctx, tx, sessions, 'password_changed', at, meta);
  });
  await pushRevocations(ctx, revoked);
}
