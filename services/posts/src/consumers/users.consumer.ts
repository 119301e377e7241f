/** Events from users: profiles and the follow graph. Thin: the rules live in domain/project-authors.ts and domain/project-follows.ts. */
import { ProfileUpdated, UserFollowed, UserUnfollowed, type EventData } from '@agora/contracts/events';
import type { EventHandler } from '@agora/kit/service';
import { updateAuthor } from '../domain/project-authors.ts';
import { applyFollowChange } from '../domain/project-follows.ts';

export function usersConsumers() {
  const handlers: Record<string, EventHandler> = {
    'profile.updated': async (event, tx) => {
      await updateAuthor(tx, event.data as EventData<'profile.updated'>, new Date(event.occurredAt));
    },
    'user.followed': async (event, tx) => {
      const data = event.data as EventData<'user.followed'>;
      await applyFollowChange(tx, { ...data, active: true, at: new Date(event.occurredAt) });
    },
    'user.unfollowed': async (event, tx) => {
      const data = event.data as EventData<'user.unfollowed'>;
      await applyFollowChange(tx, { ...data, active: false, at: new Date(event.occurredAt) });
    },
  };
  return { handlers, schemas: { 'profile.updated': ProfileUpdated, 'user.followed': UserFollowed, 'user.unfollowed': UserUnfollowed } };
}
