/** Events from identity: an erased account takes its cart with it. Thin: the rule lives in domain/erase-cart.ts. */
import { UserDeleted, type EventData } from '@agora/contracts/events';
import type { EventHandler } from '@agora/kit/service';
import { eraseCart } from '../domain/erase-cart.ts';

export function accountConsumers() {
  const handlers: Record<string, EventHandler> = {
    'user.deleted': async (event, tx) => {
      const data = event.data as EventData<'user.deleted'>;
      await eraseCart(tx, data.userId, new Date(data.deletedAt));
    },
  };
  return { handlers, schemas: { 'user.deleted': UserDeleted } };
}
