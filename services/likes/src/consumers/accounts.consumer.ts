/** Events from identity and users: the likers' names, and erasure. Thin: the rules live in domain/project-accounts.ts. */
import { ProfileUpdated, UserDeleted, UserRegistered, type EventData } from '@agora/contracts/events';
import type { EventHandler } from '@agora/kit/service';
import type { LikesContext } from '../domain/context.ts';
import { eraseLiker, trackProfile, trackRegistration } from '../domain/project-accounts.ts';

export function accountConsumers(ctx: LikesContext) {
  const handlers: Record<string, EventHandler> = {
    'user.registered': async (event, tx) => {
      const data = event.data as EventData<'user.registered'>;
      await trackRegistration(tx, { id: data.userId, username: data.username, displayName: data.displayName, avatarUrl: null });
    },
    'profile.updated': async (event, tx) => {
      const data = event.data as EventData<'profile.updated'>;
      await trackProfile(tx, { id: data.userId, username: data.username, displayName: data.displayName, avatarUrl: data.avatarUrl });
    },
    'user.deleted': async (event, tx) => {
      const data = event.data as EventData<'user.deleted'>;
      await eraseLiker(tx, data.userId, ctx.clock.now(), { correlationId: event.correlationId, causationId: event.id });
    },
  };
  return { handlers, schemas: { 'user.registered': UserRegistered, 'profile.updated': ProfileUpdated, 'user.deleted': UserDeleted } };
}
