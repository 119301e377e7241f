import { findUserById } from '../db/users.repository.ts';
import { toAccount, userNotFound, type Account } from './accounts.ts';
import type { IdentityContext } from './context.ts';

export async function getAccount(ctx: IdentityContext, userId: string): Promise<Account> {
  const user = await findUserById(ctx.database.db, userId);
  if (!user) throw userNotFound();
  return toAccount(user);
}
