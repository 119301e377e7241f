/**
 * stock.reserved: the order's stock is held, so its buyer is charged (saga step 3). At most one
 * payment per order, however often and in whatever order the saga's events arrive: the order's
 * row is locked first, a cancelled order is never charged, and an order already charged (or
 * declined) is left as it is. The unique order_id of payments backs this up.
 */
import type { EventData } from '@agora/contracts/events';
import type { Tx } from '@agora/kit/db/database';
import { newId } from '@agora/kit/ids';
import { lockOrder } from '../db/payment-orders.repository.ts';
import { findPaymentOfOrder, insertPayment } from '../db/payments.repository.ts';
import type { EventMeta, PaymentsContext } from './context.ts';
import { emit } from './events.ts';

export type ChargeResult = 'succeeded' | 'failed' | 'skipped_cancelled' | 'skipped_already_paid';

export async function chargeReservedOrder(ctx: PaymentsContext, tx: Tx, reserved: EventData<'stock.reserved'>, meta: EventMeta): Promise<ChargeResult> {
  const now = ctx.clock.now();
  const order = await lockOrder(tx, reserved.orderId, now);
  if (order.cancelledAt !== null) return 'skipped_cancelled';
  if (await findPaymentOfOrder(tx, reserved.orderId)) return 'skipped_already_paid';

  // One charge per order: the order id is the key, so a retry after a rollback replays it.
  const result = await ctx.processor.charge({
    method: reserved.paymentMethod,
    amountCents: reserved.totalCents,
    currency: reserved.currency,
    idempotencyKey: `charge_${reserved.orderId}`,
  });
  const id = newId();
  const common = {
    id,
    orderId: reserved.orderId,
    userId: reserved.userId,
    amountCents: reserved.totalCents,
    currency: reserved.currency,
    paymentMethod: reserved.paymentMethod,
    createdAt: now,
    updatedAt: now,
  };
  const money = { paymentId: id, orderId: reserved.orderId, userId: reserved.userId, amountCents: reserved.totalCents, currency: reserved.currency };

  if (result.outcome === 'approved') {
    await insertPayment(tx, { ...common, status: 'succeeded', failureReason: null, processorReference: result.reference });
    await emit(tx, 'payment.succeeded', { ...money, succeededAt: now.toISOString() }, meta);
    return 'succeeded';
  }
  await insertPayment(tx, { ...common, status: 'failed', failureReason: result.reason, processorReference: null });
  await emit(tx, 'payment.failed', { ...money, reason: result.reason, failedAt: now.toISOString() }, meta);
  return 'failed';
}
