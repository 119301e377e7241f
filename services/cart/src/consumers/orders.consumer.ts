/** Events from orders: a confirmed order empties the cart of what it bought. Thin: the rule lives in domain/drop-ordered-lines.ts. */
import { OrderConfirmed, type EventData } from '@agora/contracts/events';
import type { EventHandler } from '@agora/kit/service';
import { dropOrderedLines } from '../domain/drop-ordered-lines.ts';

export function orderConsumers() {
  const handlers: Record<string, EventHandler> = {
    'order.confirmed': async (event, tx) => {
      await dropOrderedLines(tx, event.data as EventData<'order.confirmed'>);
    },
  };
  return { handlers, schemas: { 'order.confirmed': OrderConfirmed } };
}
