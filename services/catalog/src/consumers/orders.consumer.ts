/** Events from orders: the checkout saga's reservations. Thin: the rules live in domain/reserve-stock.ts and domain/settle-reservation.ts. */
import { OrderCancelled, OrderConfirmed, OrderCreated, type EventData } from '@agora/contracts/events';
import type { EventHandler } from '@agora/kit/service';
import type { CatalogContext } from '../domain/context.ts';
import { reserveStock } from '../domain/reserve-stock.ts';
import { commitReservation, releaseReservation } from '../domain/settle-reservation.ts';

export function ordersConsumers(ctx: CatalogContext) {
  const handlers: Record<string, EventHandler> = {
    'order.created': async (event, tx) => {
      const data = event.data as EventData<'order.created'>;
      const outcome = await reserveStock(tx, data, ctx.clock.now(), { correlationId: event.correlationId, causationId: event.id });
      ctx.logger.debug({ orderId: data.orderId, outcome }, 'order.created reservation');
    },
    'order.confirmed': async (event, tx) => {
      const data = event.data as EventData<'order.confirmed'>;
      const outcome = await commitReservation(tx, data, ctx.clock.now());
      ctx.logger.debug({ orderId: data.orderId, outcome }, 'order.confirmed settlement');
    },
    'order.cancelled': async (event, tx) => {
      const data = event.data as EventData<'order.cancelled'>;
      const outcome = await releaseReservation(tx, data, ctx.clock.now(), { correlationId: event.correlationId, causationId: event.id });
      ctx.logger.debug({ orderId: data.orderId, outcome }, 'order.cancelled settlement');
    },
  };
  return { handlers, schemas: { 'order.created': OrderCreated, 'order.confirmed': OrderConfirmed, 'order.cancelled': OrderCancelled } };
}
