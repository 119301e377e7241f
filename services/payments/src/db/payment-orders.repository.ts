/**
 * The orders payments has heard of, one row each: the lock every event about an order takes, and
 * the memory of its cancellation. Every function takes an open transaction or the database.
 */
import { eq, sql } from 'drizzle-orm';
import type { Queryable } from '@agora/kit/db/database';
import { paymentOrders } from './schema.ts';

export interface LockedOrder {
  cancelledAt: Date | null;
}

/**
 * Creates the order's row on first sight and locks it until the transaction ends. A concurrent
 * first sight waits on the insert's key, then on the lock, so two deliveries about one order
 * (even on two instances) run one after the other and the second sees what the first did.
 */
export async function lockOrder(q: Queryable, orderId: string, now: Date): Promise<LockedOrder> {
  await q.insert(paymentOrders).values({ orderId, firstSeenAt: now }).onConflictDoNothing();
  const [row] = await q.select({ cancelledAt: paymentOrders.cancelledAt }).from(paymentOrders).where(eq(paymentOrders.orderId, orderId)).for('update');
  if (!row) throw new Error(`payment order ${orderId} vanished under its lock`);
  return row;
}

/** The first cancellation delivered is the one remembered. */
export async function recordOrderCancelled(q: Queryable, orderId: string, at: Date, reason: string): Promise<void> {
  await q
    .update(paymentOrders)
    .set({ cancelledAt: sql`coalesce(${paymentOrders.cancelledAt}, ${at.toISOString()}::timestamptz)`, cancelReason: sql`coalesce(${paymentOrders.cancelReason}, ${reason})` })
    .where(eq(paymentOrders.orderId, orderId));
}
