/**
 * Events from the checkout saga: the buyer hears that an order was confirmed or cancelled and
 * that a payment was declined. Nobody caused these but the buyer, so they carry no actor.
 */
import { OrderCancelled, OrderConfirmed, PaymentFailed, type EventData } from '@agora/contracts/events';
import type { NotificationsContext } from '../domain/context.ts';
import { notify } from '../domain/notify.ts';
import type { Consumers } from './index.ts';

export function commerceConsumers(ctx: NotificationsContext): Consumers {
  return {
    handlers: {
      'order.confirmed': async (event, tx) => {
        const data = event.data as EventData<'order.confirmed'>;
        await notify(ctx, tx, { recipientId: data.userId, type: 'order', actorId: null, subject: { type: 'order', id: data.orderId }, status: 'confirmed', eventId: event.id });
      },
      'order.cancelled': async (event, tx) => {
        const data = event.data as EventData<'order.cancelled'>;
        await notify(ctx, tx, { recipientId: data.userId, type: 'order', actorId: null, subject: { type: 'order', id: data.orderId }, status: 'cancelled', eventId: event.id });
      },
      'payment.failed': async (event, tx) => {
        const data = event.data as EventData<'payment.failed'>;
        await notify(ctx, tx, { recipientId: data.userId, type: 'payment', actorId: null, subject: { type: 'payment', id: data.paymentId }, status: 'failed', eventId: event.id });
      },
    },
    schemas: { 'order.confirmed': OrderConfirmed, 'order.cancelled': OrderCancelled, 'payment.failed': PaymentFailed },
  };
}
