/**
 * Cursor pages as API.md defines lists: `limit` and an opaque `cursor` in, `{ items, nextCursor }`
 * out. A cursor wraps the position of the last row served; a repository fetches `limit + 1` rows
 * after it, and the extra row only tells whether there is a next page.
 */
import { errors } from './errors.ts';

export function encodeCursor(position: string | number): string {
  return Buffer.from(String(position), 'utf8').toString('base64url');
}

/** Reads a cursor back; `parse` returns undefined for a position this list never gives out (400). */
export function decodeCursor<T>(cursor: string, parse: (position: string) => T | undefined): T {
  const position = parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (position === undefined) {
    throw errors.badRequest('VALIDATION.FAILED', 'The request is invalid', { errors: [{ path: 'querystring/cursor', message: 'is not a cursor this list gave out' }] });
  }
  return position;
}

/** Splits `limit + 1` fetched rows into the page and the cursor of the next one (null at the end). */
export function pageOf<T>(rows: T[], limit: number, positionOf: (row: T) => string | number): { page: T[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { page, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(positionOf(last)) : null };
}
