/** Events from identity: review authors appear and users are erased. Thin: the rules live in domain/project-authors.ts and domain/erase-user.ts. */
import { UserDeleted, UserRegistered, type EventData } from '@agora/contracts/events';
import type { EventHandler } from '@agora/kit/service';
import type { CatalogContext } from '../domain/context.ts';
import { eraseUser } from '../domain/erase-user.ts';
import { registerAuthor } from '../domain/project-authors.ts';

export function identityConsumers(ctx: CatalogContext) {
  const handlers: Record<string, EventHandler> = {
    'user.registered': async (event, tx) => {
      await registerAuthor(tx, event.data as EventData<'user.registered'>);
    },
    'user.deleted': async (event, tx) => {
      const data = event.data as EventData<'user.deleted'>;
      await eraseUser(tx, data.userId, ctx.clock.now(), { correlationId: event.correlationId, causationId: event.id });
    },
  };
  return { handlers, schemas: { 'user.registered': UserRegistered, 'user.deleted': UserDeleted } };
}
