/** Events from orders: order.cancelled refunds (or forestalls) the charge. Thin: the rules live in domain/settle-cancelled-order.ts. */
import { OrderCancelled, type EventData } from '@agora/contracts/events';
import type { EventHandler } from '@agora/kit/service';
import type { PaymentsContext } from '../domain/context.ts';
import { settleCancelledOrder } from '../domain/settle-cancelled-order.ts';

export function orderConsumers(ctx: PaymentsContext) {
  const handlers: Record<string, EventHandler> = {
    'order.cancelled': async (event, tx) => {
      const data = event.data as EventData<'order.cancelled'>;
      const result = await settleCancelledOrder(ctx, tx, data, { correlationId: event.correlationId, causationId: event.id });
      ctx.logger.info({ orderId: data.orderId, eventId: event.id, result }, 'order.cancelled handled');
    },
  };
  return { handlers, schemas: { 'order.cancelled': OrderCancelled } };
}
