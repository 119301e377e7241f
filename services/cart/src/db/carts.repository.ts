/** One row per cart, the lock every write to a cart takes first. Every function takes the database or an open transaction. */
import { eq, sql } from 'drizzle-orm';
import type { Queryable } from '@agora/kit/db/database';
import { carts } from './schema.ts';

/**
 * Creates the user's cart row if needed and locks it for the rest of the transaction, so writes
 * to one cart (and its erasure) take turns. Returns whether the account was erased.
 */
export async function lockCart(q: Queryable, userId: string): Promise<{ erased: boolean }> {
  await q.insert(carts).values({ userId }).onConflictDoNothing();
  const [row] = await q.select({ erasedAt: carts.erasedAt }).from(carts).where(eq(carts.userId, userId)).for('update');
  return { erased: row?.erasedAt != null };
}

/** Marks the cart erased (keeping the first time), locking it like lockCart. */
export async function markErased(q: Queryable, userId: string, at: Date): Promise<void> {
  await q
    .insert(carts)
    .values({ userId, erasedAt: at })
    .onConflictDoUpdate({ target: carts.userId, set: { erasedAt: sql`coalesce(${carts.erasedAt}, excluded.erased_at)` } });
}
