/**
 * The two ways an order ends, shared by the saga's consumers, the buyer's cancel and the timeout
 * sweeper. Callers hold the order's row lock (FOR UPDATE) and have decided the move is allowed;
 * the new state and its event are written in the caller's transaction, so one exists exactly
 * when the other does.
 */
import type { CancelReason } from '@agora/contracts/events';
import type { Tx } from '@agora/kit/db/database';
import { updateOrder, type OrderRow } from '../db/orders.repository.ts';
import type { EventMeta } from './context.ts';
import { emit } from './events.ts';
import { orderLines } from './order.ts';

export async function confirmOrder(tx: Tx, order: OrderRow, now: Date, meta: EventMeta): Promise<OrderRow> {
  const confirmed = await updateOrder(tx, order.id, { status: 'confirmed', confirmedAt: now, updatedAt: now });
  await emit(
    tx,
    'order.confirmed',
    {
      orderId: order.id,
      userId: order.userId,
      items: orderLines(order),
      totalCents: order.totalCents,
      currency: order.currency,
      fromCart: order.fromCart,
      createdAt: order.createdAt.toISOString(),
      confirmedAt: now.toISOString(),
    },
    meta,
  );
  return confirmed;
}

export async function cancelOrder(tx: Tx, order: OrderRow, reason: CancelReason, now: Date, meta: EventMeta): Promise<OrderRow> {
  const cancelled = await updateOrder(tx, order.id, { status: 'cancelled', cancelReason: reason, cancelledAt: now, updatedAt: now });
  await emit(tx, 'order.cancelled', { orderId: order.id, userId: order.userId, items: orderLines(order), reason, cancelledAt: now.toISOString() }, meta);
  return cancelled;
}
