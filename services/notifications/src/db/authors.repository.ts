/** The authors projection and erased-user tombstones. Every function takes the database or an open transaction. */
import { eq, inArray, isNull, lte, or } from 'drizzle-orm';
import type { Queryable } from '@agora/kit/db/database';
import { authors, erasedUsers } from './schema.ts';

export interface AuthorSummary {
  userId: string;
  username: string;
  displayName: string;
  avatarUrl: string | null;
}

/** A repeated user.registered, or one arriving after the profile, changes nothing. */
export async function insertAuthorIfNew(q: Queryable, author: AuthorSummary): Promise<void> {
  await q.insert(authors).values({ ...author, profileAt: null }).onConflictDoNothing();
}

/** The whole profile as of `at`, unless a newer one was applied already. */
export async function writeProfile(q: Queryable, author: AuthorSummary, at: Date): Promise<void> {
  const { userId: _userId, ...fields } = author;
  await q
    .insert(authors)
    .values({ ...author, profileAt: at })
    .onConflictDoUpdate({ target: authors.userId, set: { ...fields, profileAt: at }, setWhere: or(isNull(authors.profileAt), lte(authors.profileAt, at)) });
}

export async function deleteAuthor(q: Queryable, userId: string): Promise<void> {
  await q.delete(authors).where(eq(authors.userId, userId));
}

/** Which of `userIds` were erased. */
export async function findErased(q: Queryable, userIds: string[]): Promise<string[]> {
  if (userIds.length === 0) return [];
  const rows = await q.select({ userId: erasedUsers.userId }).from(erasedUsers).where(inArray(erasedUsers.userId, userIds));
  return rows.map((row) => row.userId);
}

export async function recordErased(q: Queryable, userId: string, at: Date): Promise<void> {
  await q.insert(erasedUsers).values({ userId, erasedAt: at }).onConflictDoNothing();
}
