/** Sign-up: a new account (role `user`) and its first session. */
import type { IdentityContext, RequestMeta } from './context.ts';
import { createAccount } from './accounts.ts';
import { hashPassword, normalizeEmail } from './credentials.ts';
import { openSession, type SessionView } from './sessions.ts';

export interface Registration {
  email: string;
  username: string;
  password: string;
  displayName?: string | undefined;
}

export async function registerUser(ctx: IdentityContext, input: Registration, meta: RequestMeta): Promise<SessionView> {
  const passwordHash = await hashPassword(input.password);
  const at = ctx.clock.now();
  return ctx.database.transaction(async (tx) => {
    const user = await createAccount(
      tx,
      {
        email: normalizeEmail(input.email),
        username: input.username,
        displayName: input.displayName?.trim() || input.username,
        passwordHash,
        roles: ['user'],
      },
      at,
      meta,
    );
    return openSession(ctx, tx, user);
  });
}
