/** Events from users: review authors' profiles. Thin: the rules live in domain/project-authors.ts. */
import { ProfileUpdated, type EventData } from '@agora/contracts/events';
import type { EventHandler } from '@agora/kit/service';
import { updateAuthor } from '../domain/project-authors.ts';

export function usersConsumers() {
  const handlers: Record<string, EventHandler> = {
    'profile.updated': async (event, tx) => {
      await updateAuthor(tx, event.data as EventData<'profile.updated'>, new Date(event.occurredAt));
    },
  };
  return { handlers, schemas: { 'profile.updated': ProfileUpdated } };
}
