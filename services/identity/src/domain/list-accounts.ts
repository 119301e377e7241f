/** The admin's list of accounts, oldest first, in pages with an opaque cursor. */
import { errors } from '@agora/kit/errors';
import { isUuid } from '@agora/kit/ids';
import { listUsers } from '../db/users.repository.ts';
import { toAccount, type Account } from './accounts.ts';
import type { IdentityContext } from './context.ts';

const encodeCursor = (id: string): string => Buffer.from(id, 'utf8').toString('base64url');

function decodeCursor(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!isUuid(id)) {
    throw errors.badRequest('VALIDATION.FAILED', 'The request is invalid', { errors: [{ path: 'querystring/cursor', message: 'is not a cursor this list gave out' }] });
  }
  return id;
}

export async function listAccounts(ctx: IdentityContext, query: { limit: number; cursor?: string | undefined }): Promise<{ items: Account[]; nextCursor: string | null }> {
  const afterId = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  const rows = await listUsers(ctx.database.db, { limit: query.limit + 1, afterId });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return { items: page.map(toAccount), nextCursor: rows.length > query.limit && last ? encodeCursor(last.id) : null };
}
