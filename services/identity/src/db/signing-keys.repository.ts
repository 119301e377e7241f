/** Access-token signing keys kept in the service database (when JWT_SIGNING_KEYS is not set). */
import { asc, inArray, isNull, sql } from 'drizzle-orm';
import type { Queryable, Tx } from '@agora/kit/db/database';
import { signingKeys, type SigningKeyRow } from './schema.ts';

export type { SigningKeyRow };

/** Serializes key generation and rotation across instances sharing the database. */
const KEYS_LOCK = 0x69_64_6b_79; // "idky"

export async function lockSigningKeys(tx: Tx): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${sql.raw(String(KEYS_LOCK))})`);
}

/** Every key not yet retired, oldest activation first. */
export async function listUnretiredKeys(q: Queryable): Promise<SigningKeyRow[]> {
  return q.select().from(signingKeys).where(isNull(signingKeys.retiredAt)).orderBy(asc(signingKeys.activeFrom), asc(signingKeys.createdAt));
}

export async function insertSigningKey(q: Queryable, key: Omit<SigningKeyRow, 'retiredAt'>): Promise<void> {
  await q.insert(signingKeys).values(key);
}

export async function retireKeys(q: Queryable, kids: string[], at: Date): Promise<void> {
  if (kids.length === 0) return;
  await q.update(signingKeys).set({ retiredAt: at }).where(inArray(signingKeys.kid, kids));
}
