/**
 * The admin named by AGORA_ADMIN_EMAIL / AGORA_ADMIN_PASSWORD, ensured at every start: created
 * when missing (announced like any registration), promoted when the account exists without the
 * role. An existing account's password is left alone: the variable seeds, it doesn't overwrite.
 */
import { isAppError } from '@agora/kit/errors';
import { findUserByEmail, usernameExists } from '../db/users.repository.ts';
import type { Queryable } from '@agora/kit/db/database';
import { createAccount } from './accounts.ts';
import type { IdentityContext } from './context.ts';
import { hashPassword, normalizeEmail } from './credentials.ts';
import { setRoles } from './set-roles.ts';

export async function bootstrapAdmin(ctx: IdentityContext, credentials: { email: string; password: string }): Promise<void> {
  const email = normalizeEmail(credentials.email);
  // Instances starting together race here; the loser of an insert finds the winner's row next time round.
  for (let attempt = 1; ; attempt++) {
    const existing = await findUserByEmail(ctx.database.db, email);
    if (existing) {
      if (!existing.roles.includes('admin')) {
        await setRoles(ctx, existing.id, [...existing.roles, 'admin'], {});
        ctx.logger.info({ userId: existing.id }, 'promoted the configured admin');
      }
      return;
    }
    try {
      const passwordHash = await hashPassword(credentials.password);
      const username = await availableUsername(ctx.database.db, email);
      const user = await ctx.database.transaction((tx) =>
        createAccount(tx, { email, username, displayName: username, passwordHash, roles: ['user', 'admin'] }, ctx.clock.now(), {}),
      );
      ctx.logger.info({ userId: user.id, username }, 'created the configured admin');
      return;
    } catch (error) {
      if (!isAppError(error) || error.status !== 409 || attempt >= 5) throw error;
    }
  }
}

/** The email's local part folded to a valid username (3–30 of a-z 0-9 _), made unique with a suffix. */
export async function availableUsername(q: Queryable, email: string): Promise<string> {
  const local = email.split('@')[0] ?? '';
  let base = local.toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 30);
  if (base.length < 3) base = `${base}${base ? '_' : ''}admin`.slice(0, 30);
  if (!(await usernameExists(q, base))) return base;
  for (let n = 2; ; n++) {
    const suffix = `_${n}`;
    const candidate = `${base.slice(0, 30 - suffix.length)}${suffix}`;
    if (!(await usernameExists(q, candidate))) return candidate;
  }
}
