/** Events from identity: accounts appear and disappear. Thin: the rules live in domain/project-authors.ts. */
import { UserDeleted, UserRegistered, type EventData } from '@agora/contracts/events';
import type { NotificationsContext } from '../domain/context.ts';
import { eraseUser, registerAuthor } from '../domain/project-authors.ts';
import type { Consumers } from './index.ts';

export function identityConsumers(ctx: NotificationsContext): Consumers {
  return {
    handlers: {
      'user.registered': async (event, tx) => {
        await registerAuthor(tx, event.data as EventData<'user.registered'>);
      },
      'user.deleted': async (event, tx) => {
        await eraseUser(tx, (event.data as EventData<'user.deleted'>).userId, ctx.clock.now());
      },
    },
    schemas: { 'user.registered': UserRegistered, 'user.deleted': UserDeleted },
  };
}
