/**
 * Erasing an account: credentials, sessions and reset tokens go with the row (cascade), every
 * session is revoked, and `user.deleted` tells the other services to erase the user's content.
 */
import type { Principal } from '@agora/kit/auth/access-token';
import { revokeSessionsOfUser } from '../db/sessions.repository.ts';
import { deleteUser, lockUser } from '../db/users.repository.ts';
import { userNotFound } from './accounts.ts';
import { confirmPassword } from './confirm-password.ts';
import type { IdentityContext, RequestMeta } from './context.ts';
import { emit } from './events.ts';
import { announceRevocations, liveTokensSince, pushRevocations } from './sessions.ts';

export async function deleteOwnAccount(ctx: IdentityContext, principal: Principal, input: { password: string }, meta: RequestMeta): Promise<void> {
  await confirmPassword(ctx, principal.userId, input.password, meta);
  await eraseAccount(ctx, principal.userId, meta);
}

export async function deleteAccount(ctx: IdentityContext, userId: string, meta: RequestMeta): Promise<void> {
  await eraseAccount(ctx, userId, meta);
}

async function eraseAccount(ctx: IdentityContext, userId: string, meta: RequestMeta): Promise<void> {
  const at = ctx.clock.now();
  const revoked = await ctx.database.transaction(async (tx) => {
    if (!(await lockUser(tx, userId))) throw userNotFound();
    const sessions = await revokeSessionsOfUser(tx, userId, { reason: 'account_deleted', at, endedAfter: liveTokensSince(ctx, at) });
    const ids = await announceRevocations(ctx, tx, sessions, 'account_deleted', at, meta);
    await emit(tx, 'user.deleted', { userId, deletedAt: at.toISOString() }, meta);
    await deleteUser(tx, userId);
    return ids;
  });
  await pushRevocations(ctx, revoked);
}
