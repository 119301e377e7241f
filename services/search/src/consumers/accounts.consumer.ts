/** Events about people: accounts from identity, profiles from users. Thin: the rules live in domain/project-users.ts. */
import { ProfileUpdated, UserDeleted, UserRegistered, type EventData } from '@agora/contracts/events';
import type { EventHandler } from '@agora/kit/service';
import type { SearchContext } from '../domain/context.ts';
import { eraseUser, registerUser, updateProfile } from '../domain/project-users.ts';

export function accountConsumers(ctx: SearchContext) {
  const handlers: Record<string, EventHandler> = {
    'user.registered': async (event, tx) => {
      await registerUser(tx, event.data as EventData<'user.registered'>);
    },
    'profile.updated': async (event, tx) => {
      const data = event.data as EventData<'profile.updated'>;
      if (!(await updateProfile(tx, data, { occurredAt: event.occurredAt, eventId: event.id }))) {
        ctx.logger.debug({ userId: data.userId }, 'profile.updated older than the one held, or of an erased user; ignored');
      }
    },
    'user.deleted': async (event, tx) => {
      await eraseUser(tx, event.data as EventData<'user.deleted'>);
    },
  };
  return { handlers, schemas: { 'user.registered': UserRegistered, 'profile.updated': ProfileUpdated, 'user.deleted': UserDeleted } };
}
