/** Events from catalog: stock.reserved charges the order. Thin: the rules live in domain/charge-order.ts. */
import { StockReserved, type EventData } from '@agora/contracts/events';
import type { EventHandler } from '@agora/kit/service';
import { chargeReservedOrder } from '../domain/charge-order.ts';
import type { PaymentsContext } from '../domain/context.ts';

export function catalogConsumers(ctx: PaymentsContext) {
  const handlers: Record<string, EventHandler> = {
    'stock.reserved': async (event, tx) => {
      const data = event.data as EventData<'stock.reserved'>;
      const result = await chargeReservedOrder(ctx, tx, data, { correlationId: event.correlationId, causationId: event.id });
      ctx.logger.info({ orderId: data.orderId, eventId: event.id, result }, 'stock.reserved handled');
    },
  };
  return { handlers, schemas: { 'stock.reserved': StockReserved } };
}
