/** Events from payments: the charge's outcome decides a pending order. Thin: the rules live in domain/advance-saga.ts. */
import { PaymentFailed, PaymentSucceeded, type EventData } from '@agora/contracts/events';
import type { EventHandler } from '@agora/kit/service';
import { cancelFailedOrder, confirmPaidOrder } from '../domain/advance-saga.ts';
import { causedBy, type OrdersContext } from '../domain/context.ts';

export function paymentConsumers(ctx: OrdersContext) {
  const handlers: Record<string, EventHandler> = {
    'payment.succeeded': async (event, tx) => {
      await confirmPaidOrder(ctx, tx, (event.data as EventData<'payment.succeeded'>).orderId, causedBy(event));
    },
    'payment.failed': async (event, tx) => {
      await cancelFailedOrder(ctx, tx, (event.data as EventData<'payment.failed'>).orderId, 'payment_declined', causedBy(event));
    },
  };
  return { handlers, schemas: { 'payment.succeeded': PaymentSucceeded, 'payment.failed': PaymentFailed } };
}
