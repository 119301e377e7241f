/** Events from identity: accounts appear and disappear. Thin: the rules live in domain/project-accounts.ts. */
import { UserDeleted, UserRegistered, type EventData } from '@agora/contracts/events';
import type { EventHandler } from '@agora/kit/service';
import { createProfile, eraseUser } from '../domain/project-accounts.ts';
import type { UsersContext } from '../domain/context.ts';

export function identityConsumers(ctx: UsersContext) {
  const handlers: Record<string, EventHandler> = {
    'user.registered': async (event, tx) => {
      const data = event.data as EventData<'user.registered'>;
      if (!(await createProfile(tx, data))) ctx.logger.debug({ userId: data.userId }, 'user.registered for an existing or erased user; ignored');
    },
    'user.deleted': async (event, tx) => {
      const data = event.data as EventData<'user.deleted'>;
      await eraseUser(tx, data.userId, ctx.clock.now());
    },
  };
  return { handlers, schemas: { 'user.registered': UserRegistered, 'user.deleted': UserDeleted } };
}
