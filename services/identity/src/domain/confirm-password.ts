/**
 * A signed-in user proving they know the password before a sensitive change (password change,
 * account deletion). A stolen access token alone must not allow either, nor unlimited guessing:
 * these attempts count toward the same throttle as logins.
 */
import { errors } from '@agora/kit/errors';
import { findUserById, type UserRow } from '../db/users.repository.ts';
import { userNotFound } from './accounts.ts';
import type { IdentityContext, RequestMeta } from './context.ts';
import { verifyPassword } from './credentials.ts';
import { clearAttempts, countAttempt } from './password-attempts.ts';

export async function confirmPassword(ctx: IdentityContext, userId: string, password: string, meta: RequestMeta): Promise<UserRow> {
  const user = await findUserById(ctx.database.db, userId);
  if (!user) throw userNotFound();
  await countAttempt(ctx, user.email, meta.ip);
  // 401 like a failed login, but its own code: the access token is fine, so a client must not
  // react by refreshing or signing out.
  if (!(await verifyPassword(user.passwordHash, password))) throw errors.unauthorized('AUTH.INVALID_PASSWORD', 'The password is wrong');
  await clearAttempts(ctx, user.email, meta.ip);
  return user;
}
