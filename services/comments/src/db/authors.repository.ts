/**
 * The authors projection (fed by user.registered, profile.updated and user.deleted). Every
 * function takes the database or an open transaction.
 */
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Queryable } from '@agora/kit/db/database';
import { authors, type AuthorRow } from './schema.ts';

export type { AuthorRow };

/**
 * Reads the user's row under a share lock, first creating an empty one when no event about the
 * user has arrived yet. The lock orders this transaction with the user's erasure (which writes
 * the row): either the erasure sees what this transaction wrote, or this one sees the tombstone.
 */
export async function lockAuthor(q: Queryable, id: string): Promise<AuthorRow> {
  const [row] = await q.select().from(authors).where(eq(authors.id, id)).for('share');
  if (row) return row;
  await q.insert(authors).values({ id }).onConflictDoNothing();
  const [created] = await q.select().from(authors).where(eq(authors.id, id)).for('share');
  return created!;
}

/** Names from the account, unless a profile (or the erasure) has already been applied. */
export async function recordRegistration(q: Queryable, author: { id: string; username: string; displayName: string }): Promise<void> {
  await q
    .insert(authors)
    .values(author)
    .onConflictDoUpdate({
      target: authors.id,
      set: { username: author.username, displayName: author.displayName },
      setWhere: and(eq(authors.profiled, false), isNull(authors.erasedAt)),
    });
}

/** The whole profile replaces what was known (last write wins), unless the user is erased. */
export async function recordProfile(q: Queryable, author: { id: string; username: string; displayName: string; avatarUrl: string | null }): Promise<void> {
  await q
    .insert(authors)
    .values({ ...author, profiled: true })
    .onConflictDoUpdate({
      target: authors.id,
      set: { username: author.username, displayName: author.displayName, avatarUrl: author.avatarUrl, profiled: true },
      setWhere: isNull(authors.erasedAt),
    });
}

/** Forgets the user's names and leaves the tombstone; writing the row waits for comments being written by them. */
export async function recordErased(q: Queryable, id: string, at: Date): Promise<void> {
  await q
    .insert(authors)
    .values({ id, erasedAt: at })
    .onConflictDoUpdate({
      target: authors.id,
      set: { username: null, displayName: null, avatarUrl: null, erasedAt: sql`coalesce(${authors.erasedAt}, excluded.erased_at)` },
    });
}
