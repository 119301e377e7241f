/** Verified purchases (confirmed orders' products per buyer). Every function takes the database or an open transaction. */
import { and, eq } from 'drizzle-orm';
import type { Queryable } from '@agora/kit/db/database';
import { purchases } from './schema.ts';

export async function recordPurchases(q: Queryable, orderId: string, userId: string, productIds: string[]): Promise<void> {
  if (productIds.length === 0) return;
  await q
    .insert(purchases)
    .values([...new Set(productIds)].map((productId) => ({ orderId, productId, userId })))
    .onConflictDoNothing();
}

export async function deletePurchasesOfOrder(q: Queryable, orderId: string): Promise<void> {
  await q.delete(purchases).where(eq(purchases.orderId, orderId));
}

export async function deletePurchasesOf(q: Queryable, userId: string): Promise<void> {
  await q.delete(purchases).where(eq(purchases.userId, userId));
}

/**
 * Whether the buyer has a confirmed order of the product. The rows found stay share-locked to the
 * end of the transaction, so a cancellation can't take the purchase back while a review is written.
 */
export async function hasPurchased(q: Queryable, userId: string, productId: string): Promise<boolean> {
  const rows = await q
    .select({ orderId: purchases.orderId })
    .from(purchases)
    .where(and(eq(purchases.userId, userId), eq(purchases.productId, productId)))
    .for('share');
  return rows.length > 0;
}
