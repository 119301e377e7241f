/** Sign-in with email and password; one answer for an unknown email and a wrong password. */
import { errors } from '@agora/kit/errors';
import { findUserByEmail } from '../db/users.repository.ts';
import type { IdentityContext, RequestMeta } from './context.ts';
import { normalizeEmail, verifyAgainstNothing, verifyPassword } from './credentials.ts';
import { clearAttempts, countAttempt } from './password-attempts.ts';
import { openSession, type SessionView } from './sessions.ts';

export async function logIn(ctx: IdentityContext, input: { email: string; password: string }, meta: RequestMeta): Promise<SessionView> {
  const email = normalizeEmail(input.email);
  await countAttempt(ctx, email, meta.ip);
  const user = await findUserByEmail(ctx.database.db, email);
  const valid = user ? await verifyPassword(user.passwordHash, input.password) : await verifyAgainstNothing(input.password);
  if (!user || !valid) throw errors.unauthorized('AUTH.INVALID_CREDENTIALS', 'Wrong email or password');
  await clearAttempts(ctx, email, meta.ip);
  return ctx.database.transaction((tx) => openSession(ctx, tx, user));
}
