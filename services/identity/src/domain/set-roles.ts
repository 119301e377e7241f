/**
 * An admin sets a user's roles. `user` is always kept. The change reaches access tokens at the
 * user's next refresh (tokens carry the roles they were minted with, for at most 15 minutes).
 */
import type { Role } from '@agora/kit/auth/access-token';
import { lockUser, updateRoles } from '../db/users.repository.ts';
import { canonicalRoles, userNotFound } from './accounts.ts';
import type { IdentityContext, RequestMeta } from './context.ts';
import { emit } from './events.ts';

export async function setRoles(ctx: IdentityContext, userId: string, roles: readonly string[], meta: Partial<RequestMeta>): Promise<{ id: string; roles: Role[] }> {
  const wanted = canonicalRoles(roles);
  return ctx.database.transaction(async (tx) => {
    const user = await lockUser(tx, userId);
    if (!user) throw userNotFound();
    // PUT is idempotent: setting the roles a user already has changes and announces nothing.
    if (canonicalRoles(user.roles).join() !== wanted.join()) {
      await updateRoles(tx, userId, wanted, ctx.clock.now());
      await emit(tx, 'user.roles_changed', { userId, roles: wanted }, meta);
    }
    return { id: userId, roles: wanted };
  });
}
