/**
 * Idempotency-Keys of POST /orders, one row per (user, key). Every function takes the database
 * or an open transaction.
 */
import { and, eq, inArray, lte, sql } from 'drizzle-orm';
import type { Queryable, Tx } from '@agora/kit/db/database';
import { placeholders, preparedStatement } from '@agora/kit/db/prepared-statement';
import { idempotencyKeys } from './schema.ts';

export type IdempotencyKeyRow = typeof idempotencyKeys.$inferSelect;

export interface StoredResponse {
  status: number;
  body: unknown;
}

export interface Claim {
  userId: string;
  key: string;
  claimId: string;
}

/** Inserts an in-flight claim unless the key exists; true when this call made it. */
// The statements of every checkout, built once per connection (the kit's preparedStatement).
const theKey = and(eq(idempotencyKeys.userId, sql.placeholder('userId')), eq(idempotencyKeys.key, sql.placeholder('key')));
const insertClaimStatement = preparedStatement('orders_insert_claim', (q) =>
  q
    .insert(idempotencyKeys)
    .values({ ...placeholders('userId', 'key', 'claimId', 'fingerprint', 'claimedAt', 'expiresAt'), state: 'in_flight' })
    .onConflictDoNothing()
    .returning({ claimId: idempotencyKeys.claimId }),
);
const lockKeyStatement = preparedStatement('orders_lock_key', (q) => q.select().from(idempotencyKeys).where(theKey).for('update'));
const storeResponseStatement = preparedStatement('orders_store_response', (q) =>
  q
    .update(idempotencyKeys)
    // An update's values can't be bare placeholders in drizzle; the body arrives as JSON text.
    .set({ state: 'completed', responseStatus: sql`${sql.placeholder('responseStatus')}::integer`, responseBody: sql`${sql.placeholder('responseBody')}::jsonb` })
    .where(and(theKey, eq(idempotencyKeys.claimId, sql.placeholder('claimId')))),
);

/** Inserts an in-flight claim unless the key exists; true when this call made it. */
export async function insertClaim(tx: Tx, claim: Claim & { fingerprint: string; claimedAt: Date; expiresAt: Date }): Promise<boolean> {
  const inserted = await insertClaimStatement(tx, claim);
  return inserted.length === 1;
}

/** Reads the key and holds it: a claim being completed or taken over waits for the holder. */
export async function lockKey(tx: Tx, userId: string, key: string): Promise<IdempotencyKeyRow | null> {
  const [row] = await lockKeyStatement(tx, { userId, key });
  return row ?? null;
}

/** Makes an existing (expired or abandoned) key this request's claim. */
export async function reclaim(tx: Tx, claim: Claim & { fingerprint: string; claimedAt: Date; expiresAt: Date }): Promise<void> {
  await tx
    .update(idempotencyKeys)
    .set({ fingerprint: claim.fingerprint, claimId: claim.claimId, claimedAt: claim.claimedAt, expiresAt: claim.expiresAt, state: 'in_flight', responseStatus: null, responseBody: null })
    .where(and(eq(idempotencyKeys.userId, claim.userId), eq(idempotencyKeys.key, claim.key)));
}

/** Locks the key if it is still this claim's (not taken over meanwhile); false otherwise. */
export async function holdClaim(tx: Tx, claim: Claim): Promise<boolean> {
  const row = await lockKey(tx, claim.userId, claim.key);
  return row !== null && row.claimId === claim.claimId && row.state === 'in_flight';
}

export async function storeResponse(tx: Tx, claim: Claim, response: StoredResponse): Promise<void> {
  await storeResponseStatement(tx, { userId: claim.userId, key: claim.key, claimId: claim.claimId, responseStatus: response.status, responseBody: JSON.stringify(response.body) });
}

/** Gives the key up so the client can retry it; a claim taken over by another request is left alone. */
export async function releaseClaim(q: Queryable, claim: Claim): Promise<void> {
  await q
    .delete(idempotencyKeys)
    .where(
      and(
        eq(idempotencyKeys.userId, claim.userId),
        eq(idempotencyKeys.key, claim.key),
        eq(idempotencyKeys.claimId, claim.claimId),
        eq(idempotencyKeys.state, 'in_flight'),
      ),
    );
}

/** Deletes up to `limit` keys expired at `now`; returns how many. */
export async function deleteExpiredKeys(q: Queryable, now: Date, limit: number): Promise<number> {
  const expired = q
    .select({ claimId: idempotencyKeys.claimId })
    .from(idempotencyKeys)
    .where(lte(idempotencyKeys.expiresAt, now))
    .limit(limit);
  const deleted = await q
    .delete(idempotencyKeys)
    .where(and(inArray(idempotencyKeys.claimId, expired), lte(idempotencyKeys.expiresAt, now)))
    .returning({ one: sql<number>`1` });
  return deleted.length;
}
