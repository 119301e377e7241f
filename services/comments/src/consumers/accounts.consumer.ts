/**
 * Events from identity (user.registered, user.deleted) and users (profile.updated): who writes
 * comments, under which name. Thin: the rules live in domain/project-authors.ts.
 */
import { ProfileUpdated, UserDeleted, UserRegistered, type EventData } from '@agora/contracts/events';
import type { EventHandler } from '@agora/kit/service';
import type { CommentsContext } from '../domain/context.ts';
import { eraseAuthor, registerAuthor, updateAuthor } from '../domain/project-authors.ts';

export function accountsConsumers(ctx: CommentsContext) {
  const handlers: Record<string, EventHandler> = {
    'user.registered': async (event, tx) => {
      await registerAuthor(tx, event.data as EventData<'user.registered'>);
    },
    'profile.updated': async (event, tx) => {
      await updateAuthor(tx, event.data as EventData<'profile.updated'>);
    },
    'user.deleted': async (event, tx) => {
      const data = event.data as EventData<'user.deleted'>;
      await eraseAuthor(tx, data.userId, ctx.clock.now(), { correlationId: event.correlationId, causationId: event.id });
    },
  };
  return { handlers, schemas: { 'user.registered': UserRegistered, 'profile.updated': ProfileUpdated, 'user.deleted': UserDeleted } };
}
