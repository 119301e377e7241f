/** The admin's list of accounts, oldest first, in pages with an opaque cursor. */
import { isUuid } from '@agora/kit/ids';
import { decodeCursor, pageOf } from '@agora/kit/pagination';
import { listUsers } from '../db/users.repository.ts';
import { toAccount, type Account } from './accounts.ts';
import type { IdentityContext } from './context.ts';

export async function listAccounts(ctx: IdentityContext, query: { limit: number; cursor?: string | undefined }): Promise<{ items: Account[]; nextCursor: string | null }> {
  const afterId = query.cursor === undefined ? undefined : decodeCursor(query.cursor, (id) => (isUuid(id) ? id : undefined));
  const rows = await listUsers(ctx.database.db, { limit: query.limit + 1, afterId });
  const { page, nextCursor } = pageOf(rows, query.limit, (row) => row.id);
  return { items: page.map(toAccount), nextCursor };
}
