/** The caller's inbox, newest first, in pages with an opaque cursor; optionally only the unread. */
import { isUuid } from '@agora/kit/ids';
import { decodeCursor, pageOf } from '@agora/kit/pagination';
import { listInbox, listNewer } from '../db/notifications.repository.ts';
import type { NotificationsContext } from './context.ts';
import { toNotification, type Notification } from './notifications.ts';

/** Cursors wrap the last notification's id (UUIDv7, so time-ordered); any other text was never given out. */
const parseId = (position: string): string | undefined => (isUuid(position) ? position : undefined);

export async function listNotifications(
  ctx: NotificationsContext,
  recipientId: string,
  query: { limit: number; cursor?: string | undefined; unread?: boolean | undefined },
): Promise<{ items: Notification[]; nextCursor: string | null }> {
  const beforeId = query.cursor === undefined ? undefined : decodeCursor(query.cursor, parseId);
  const rows = await listInbox(ctx.database.db, { recipientId, unreadOnly: query.unread === true, beforeId, limit: query.limit + 1 });
  const { page, nextCursor } = pageOf(rows, query.limit, (row) => row.id);
  return { items: page.map(toNotification), nextCursor };
}

/** What a reconnecting stream missed: the caller's notifications newer than `afterId`, oldest first, at most `limit` (the newest). */
export async function listNotificationsSince(ctx: NotificationsContext, recipientId: string, afterId: string, limit: number): Promise<Notification[]> {
  const rows = await listNewer(ctx.database.db, { recipientId, afterId, limit });
  return rows.map(toNotification);
}
