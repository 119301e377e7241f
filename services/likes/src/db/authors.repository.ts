/** The likers' names (a projection of accounts and profiles) and erased-user tombstones. Every function takes the database or an open transaction. */
import { eq, sql } from 'drizzle-orm';
import type { Queryable } from '@agora/kit/db/database';
import { authors, erasedUsers } from './schema.ts';

export interface Author {
  id: string;
  username: string;
  displayName: string;
  avatarUrl: string | null;
}

/**
 * Serializes the likes of one user with their erasure: every like holds the user's key shared
 * until it commits, and erasure takes it exclusively, so erasure sees every like committed before
 * it and every like after it sees the tombstone. A transaction-level advisory lock, so it is
 * released at commit or rollback; a hash collision only makes two users wait for each other.
 */
const userKey = (userId: string) => sql`hashtextextended(${`likes:user:${userId}`}, 0)`;

export async function holdUserShared(q: Queryable, userId: string): Promise<void> {
  await q.execute(sql`select pg_advisory_xact_lock_shared(${userKey(userId)})`);
}

export async function holdUserExclusive(q: Queryable, userId: string): Promise<void> {
  await q.execute(sql`select pg_advisory_xact_lock(${userKey(userId)})`);
}

/** A first sight of the user (user.registered): changes nothing when they are already known. */
export async function insertAuthorIfNew(q: Queryable, author: Author): Promise<void> {
  await q.insert(authors).values(author).onConflictDoNothing();
}

/** The whole profile as announced last (profile.updated carries all of it). */
export async function upsertAuthor(q: Queryable, author: Author): Promise<void> {
  await q
    .insert(authors)
    .values(author)
    .onConflictDoUpdate({ target: authors.id, set: { username: author.username, displayName: author.displayName, avatarUrl: author.avatarUrl } });
}

export async function deleteAuthor(q: Queryable, userId: string): Promise<void> {
  await q.delete(authors).where(eq(authors.id, userId));
}

export async function isErased(q: Queryable, userId: string): Promise<boolean> {
  const [row] = await q.select({ userId: erasedUsers.userId }).from(erasedUsers).where(eq(erasedUsers.userId, userId));
  return row !== undefined;
}

export async function recordErased(q: Queryable, userId: string, at: Date): Promise<void> {
  await q.insert(erasedUsers).values({ userId, erasedAt: at }).onConflictDoNothing();
}
