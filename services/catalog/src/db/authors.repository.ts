/** Review authors (a projection of identity's accounts and users' profiles) and erased-user tombstones. Every function takes the database or an open transaction. */
import { eq, sql } from 'drizzle-orm';
import type { Queryable } from '@agora/kit/db/database';
import { authors, erasedUsers } from './schema.ts';

export type AuthorRow = typeof authors.$inferSelect;

export async function insertAuthorIfNew(q: Queryable, author: { id: string; username: string; displayName: string }): Promise<void> {
  await q.insert(authors).values({ ...author, avatarUrl: null, profileAt: null }).onConflictDoNothing();
}

/** Applies a whole profile unless a newer one was applied already (last write wins on `at`). */
export async function applyProfile(
  q: Queryable,
  profile: { id: string; username: string; displayName: string; avatarUrl: string | null },
  at: Date,
): Promise<void> {
  await q
    .insert(authors)
    .values({ ...profile, profileAt: at })
    .onConflictDoUpdate({
      target: authors.id,
      set: { username: profile.username, displayName: profile.displayName, avatarUrl: profile.avatarUrl, profileAt: at },
      setWhere: sql`${authors.profileAt} is null or ${authors.profileAt} <= ${at.toISOString()}::timestamptz`,
    });
}

export async function findAuthor(q: Queryable, id: string): Promise<AuthorRow | null> {
  const [row] = await q.select().from(authors).where(eq(authors.id, id));
  return row ?? null;
}

export async function deleteAuthor(q: Queryable, id: string): Promise<void> {
  await q.delete(authors).where(eq(authors.id, id));
}

export async function isErased(q: Queryable, userId: string): Promise<boolean> {
  const [row] = await q.select({ userId: erasedUsers.userId }).from(erasedUsers).where(eq(erasedUsers.userId, userId));
  return row !== undefined;
}

/** True when this call recorded the erasure (false: the user was erased before). */
export async function recordErased(q: Queryable, userId: string, at: Date): Promise<boolean> {
  const inserted = await q.insert(erasedUsers).values({ userId, erasedAt: at }).onConflictDoNothing().returning({ userId: erasedUsers.userId });
  return inserted.length > 0;
}
