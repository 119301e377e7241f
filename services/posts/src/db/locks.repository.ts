/**
 * Per-user advisory locks, held to the end of the transaction. Every event handler that writes
 * something about a user takes the user's lock shared and only then checks whether the user was
 * erased; erasure takes it exclusive. So a handler either finishes before the erasure starts (and
 * the erasure removes what it wrote) or starts after it committed (and sees the tombstone):
 * nothing written about an erased user survives the race.
 */
import { sql } from 'drizzle-orm';
import type { Tx } from '@agora/kit/db/database';

const key = (userId: string) => sql`hashtextextended(${`posts.user:${userId}`}, 0)`;

/** Shared locks on several users, always taken in id order so two handlers can't deadlock. */
export async function lockUsersShared(tx: Tx, userIds: string[]): Promise<void> {
  for (const userId of [...new Set(userIds)].sort()) await tx.execute(sql`select pg_advisory_xact_lock_shared(${key(userId)})`);
}

export async function lockUserExclusive(tx: Tx, userId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${key(userId)})`);
}
