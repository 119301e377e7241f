/**
 * order.cancelled: the order is over (saga step 6). A succeeded payment is refunded, once; a
 * failed or already refunded one stays as it is. Either way the cancellation is remembered on
 * the order's row, so a stock.reserved that arrives later (late, or redelivered) never charges.
 */
import type { EventData } from '@agora/contracts/events';
import type { Tx } from '@agora/kit/db/database';
import { lockOrder, recordOrderCancelled } from '../db/payment-orders.repository.ts';
import { findPaymentOfOrder, markRefunded } from '../db/payments.repository.ts';
import type { EventMeta, PaymentsContext } from './context.ts';
import { emit } from './events.ts';
import { notBefore } from './payment.ts';

export type SettleResult = 'refunded' | 'nothing_to_refund';

export async function settleCancelledOrder(ctx: PaymentsContext, tx: Tx, cancelled: EventData<'order.cancelled'>, meta: EventMeta): Promise<SettleResult> {
  const now = ctx.clock.now();
  await lockOrder(tx, cancelled.orderId, now);
  await recordOrderCancelled(tx, cancelled.orderId, now, cancelled.reason);

  const payment = await findPaymentOfOrder(tx, cancelled.orderId);
  if (!payment || payment.status !== 'succeeded') return 'nothing_to_refund';
  if (!payment.processorReference) throw new Error(`succeeded payment ${payment.id} has no processor reference`);

  const refund = await ctx.processor.refund({
    chargeReference: payment.processorReference,
    amountCents: payment.amountCents,
    currency: payment.currency,
    idempotencyKey: `refund_${payment.id}`,
  });
  const at = notBefore(now, payment.createdAt);
  const refunded = await markRefunded(tx, payment.id, at, refund.reference);
  // Under the order's lock the payment can't have changed since it was read.
  if (!refunded) throw new Error(`payment ${payment.id} changed under its order's lock`);
  await emit(
    tx,
    'payment.refunded',
    { paymentId: payment.id, orderId: payment.orderId, userId: payment.userId, amountCents: payment.amountCents, currency: payment.currency, refundedAt: at.toISOString() },
    meta,
  );
  return 'refunded';
}
