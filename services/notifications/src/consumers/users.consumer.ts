/**
 * Events from users: profiles (actor summaries) and follows. user.followed and user.unfollowed
 * carry no time of their own; the envelope's occurredAt orders them. Thin: the rules live in
 * domain/project-authors.ts and domain/track-activity.ts.
 */
import { ProfileUpdated, UserFollowed, UserUnfollowed, type EventData } from '@agora/contracts/events';
import type { NotificationsContext } from '../domain/context.ts';
import { updateAuthor } from '../domain/project-authors.ts';
import { recordFollow, recordUnfollow } from '../domain/track-activity.ts';
import type { Consumers } from './index.ts';

export function usersConsumers(ctx: NotificationsContext): Consumers {
  return {
    handlers: {
      'profile.updated': async (event, tx) => {
        await updateAuthor(tx, event.data as EventData<'profile.updated'>, new Date(event.occurredAt));
      },
      'user.followed': async (event, tx) => {
        await recordFollow(ctx, tx, event.data as EventData<'user.followed'>, { eventId: event.id, at: new Date(event.occurredAt) });
      },
      'user.unfollowed': async (event, tx) => {
        await recordUnfollow(tx, event.data as EventData<'user.unfollowed'>, { eventId: event.id, at: new Date(event.occurredAt) });
      },
    },
    schemas: { 'profile.updated': ProfileUpdated, 'user.followed': UserFollowed, 'user.unfollowed': UserUnfollowed },
  };
}
