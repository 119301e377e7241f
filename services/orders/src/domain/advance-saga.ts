/**
 * The orders side of the checkout saga (DESIGN.md, "Checkout saga"): what catalog's and payments'
 * verdicts do to an order. Only a pending order moves, and the first verdict wins: the order row
 * is locked while deciding, so two deliveries about one order (on two instances too) take turns,
 * and a verdict arriving after the order ended (a payment after the timeout, a rejection after a
 * decline) changes nothing. Payments refunds a charge for an order it sees cancelled, so a late
 * payment.succeeded needs nothing from here.
 *
 * An event for an order this service never made is acknowledged and dropped: every saga event
 * is caused by an order.created, which is written with its order, so it can't come first.
 */
import type { CancelReason } from '@agora/contracts/events';
import type { Tx } from '@agora/kit/db/database';
import { lockOrder, type OrderRow } from '../db/orders.repository.ts';
import type { EventMeta, OrdersContext } from './context.ts';
import { cancelOrder, confirmOrder } from './order-transitions.ts';

async function lockKnownOrder(ctx: OrdersContext, tx: Tx, orderId: string, event: string): Promise<OrderRow | null> {
  const order = await lockOrder(tx, orderId);
  if (!order) ctx.logger.warn({ orderId, event }, 'saga event for an unknown order; dropped');
  return order;
}

/** payment.succeeded: a pending order is confirmed. */
export async function confirmPaidOrder(ctx: OrdersContext, tx: Tx, orderId: string, meta: EventMeta): Promise<void> {
  const order = await lockKnownOrder(ctx, tx, orderId, 'payment.succeeded');
  if (order?.status !== 'pending') return;
  await confirmOrder(tx, order, ctx.clock.now(), meta);
}

/** stock.rejected (out_of_stock) and payment.failed (payment_declined): a pending order is cancelled. */
export async function cancelFailedOrder(ctx: OrdersContext, tx: Tx, orderId: string, reason: CancelReason, meta: EventMeta): Promise<void> {
  const order = await lockKnownOrder(ctx, tx, orderId, reason);
  if (order?.status !== 'pending') return;
  await cancelOrder(tx, order, reason, ctx.clock.now(), meta);
}
