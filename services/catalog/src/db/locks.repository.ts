/**
 * Per-user advisory locks, held to the end of the transaction. Everything written on behalf of a
 * user (their products, reviews, purchases, uploads, profile) takes the user's lock shared and
 * only then checks whether the user was erased; erasure takes it exclusive. So a writer either
 * finishes before the erasure starts (and the erasure removes what it wrote) or starts after it
 * committed (and sees the tombstone). The user's lock is always the first lock a transaction
 * takes, so it can't close a deadlock cycle with the row locks taken after it.
 */
import { sql } from 'drizzle-orm';
import type { Tx } from '@agora/kit/db/database';

const key = (userId: string) => sql`hashtextextended(${`catalog.user:${userId}`}, 0)`;

export async function lockUserShared(tx: Tx, userId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock_shared(${key(userId)})`);
}

export async function lockUserExclusive(tx: Tx, userId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${key(userId)})`);
}
