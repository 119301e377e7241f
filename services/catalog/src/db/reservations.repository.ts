/** The saga's reservations, one per order. Every function takes an open transaction. */
import { eq } from 'drizzle-orm';
import type { Tx } from '@agora/kit/db/database';
import { reservations, type ReservationRow, type ReservationState, type ReservedLine } from './schema.ts';

export type { ReservationRow, ReservationState, ReservedLine };

/**
 * The order's reservation, locked for the rest of the transaction: every delivery about one
 * order waits for the one in progress. A missing row is created `open` first, so there is always
 * a row to lock, even for the first event about an order.
 */
export async function lockReservation(tx: Tx, orderId: string, userId: string, at: Date): Promise<ReservationRow> {
  await tx.insert(reservations).values({ orderId, userId, state: 'open', items: [], updatedAt: at }).onConflictDoNothing();
  const [row] = await tx.select().from(reservations).where(eq(reservations.orderId, orderId)).for('update');
  return row!;
}

export async function setReservation(tx: Tx, orderId: string, state: Exclude<ReservationState, 'open'>, at: Date, items?: ReservedLine[]): Promise<void> {
  await tx
    .update(reservations)
    .set(items === undefined ? { state, updatedAt: at } : { state, items, updatedAt: at })
    .where(eq(reservations.orderId, orderId));
}
