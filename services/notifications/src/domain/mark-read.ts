/**
 * Marking notifications read: the given ones, or all of the caller's. Ids that aren't the
 * caller's (someone else's, or none at all) match nothing and are ignored without a word, so the
 * answer never tells whether another user's notification exists.
 */
import { markRead } from '../db/notifications.repository.ts';
import type { NotificationsContext } from './context.ts';

export async function markNotificationsRead(ctx: NotificationsContext, recipientId: string, ids: string[] | undefined): Promise<void> {
  await markRead(ctx.database.db, recipientId, ids, ctx.clock.now());
}
