/** The inbox. Every function takes the database or an open transaction. */
import { and, asc, desc, eq, gt, inArray, isNull, lt, or } from 'drizzle-orm';
import type { Queryable } from '@agora/kit/db/database';
import { authors, notifications, type NotificationType, type SubjectStatus, type SubjectType } from './schema.ts';

export interface NewNotification {
  id: string;
  recipientId: string;
  type: NotificationType;
  actorId: string | null;
  subjectType: SubjectType;
  subjectId: string;
  status?: SubjectStatus | null;
  eventId: string;
  createdAt: Date;
}

/** A notification with its actor's summary as the authors projection has it now (null: unknown or no actor). */
export interface NotificationView {
  id: string;
  recipientId: string;
  type: NotificationType;
  actorId: string | null;
  subjectType: SubjectType;
  subjectId: string;
  status: SubjectStatus | null;
  readAt: Date | null;
  createdAt: Date;
  actor: { username: string; displayName: string; avatarUrl: string | null } | null;
}

/** Where a notification is looked up by what caused it, to take it back. */
export interface NotificationMatch {
  recipientId: string;
  type: NotificationType;
  actorId: string;
  subjectType: SubjectType;
  subjectId: string;
}

/**
 * True when the row is new. Its event id, and for notifications with an actor the
 * (recipient, type, actor, subject) tuple, are unique: a second insert for either is a no-op.
 */
export async function insertNotification(q: Queryable, row: NewNotification): Promise<boolean> {
  const inserted = await q.insert(notifications).values(row).onConflictDoNothing().returning({ id: notifications.id });
  return inserted.length > 0;
}

function selectViews(q: Queryable) {
  return q
    .select({
      id: notifications.id,
      recipientId: notifications.recipientId,
      type: notifications.type,
      actorId: notifications.actorId,
      subjectType: notifications.subjectType,
      subjectId: notifications.subjectId,
      status: notifications.status,
      readAt: notifications.readAt,
      createdAt: notifications.createdAt,
      username: authors.username,
      displayName: authors.displayName,
      avatarUrl: authors.avatarUrl,
    })
    .from(notifications)
    .leftJoin(authors, eq(authors.userId, notifications.actorId));
}

type JoinedRow = Awaited<ReturnType<ReturnType<typeof selectViews>['execute']>>[number];

const toView = ({ username, displayName, avatarUrl, ...row }: JoinedRow): NotificationView => ({
  ...row,
  actor: username === null || displayName === null ? null : { username, displayName, avatarUrl },
});

export async function findNotification(q: Queryable, id: string): Promise<NotificationView | null> {
  const [row] = await selectViews(q).where(eq(notifications.id, id));
  return row ? toView(row) : null;
}

/** Newest first: `limit` of the recipient's notifications older than `beforeId`, optionally only the unread. */
export async function listInbox(
  q: Queryable,
  options: { recipientId: string; unreadOnly: boolean; beforeId?: string | undefined; limit: number },
): Promise<NotificationView[]> {
  const rows = await selectViews(q)
    .where(
      and(
        eq(notifications.recipientId, options.recipientId),
        options.unreadOnly ? isNull(notifications.readAt) : undefined,
        options.beforeId === undefined ? undefined : lt(notifications.id, options.beforeId),
      ),
    )
    .orderBy(desc(notifications.id))
    .limit(options.limit);
  return rows.map(toView);
}

/** The newest `limit` of the recipient's notifications newer than `afterId`, oldest first. */
export async function listNewer(q: Queryable, options: { recipientId: string; afterId: string; limit: number }): Promise<NotificationView[]> {
  const newest = q
    .select({ id: notifications.id })
    .from(notifications)
    .where(and(eq(notifications.recipientId, options.recipientId), gt(notifications.id, options.afterId)))
    .orderBy(desc(notifications.id))
    .limit(options.limit);
  const rows = await selectViews(q).where(inArray(notifications.id, newest)).orderBy(asc(notifications.id));
  return rows.map(toView);
}

/** Marks the recipient's unread notifications read: those of `ids` (others' ids match nothing), or all. */
export async function markRead(q: Queryable, recipientId: string, ids: string[] | undefined, at: Date): Promise<void> {
  if (ids !== undefined && ids.length === 0) return;
  await q
    .update(notifications)
    .set({ readAt: at })
    .where(and(eq(notifications.recipientId, recipientId), isNull(notifications.readAt), ids === undefined ? undefined : inArray(notifications.id, ids)));
}

/** Deletes the notification `match` names if it is still unread. */
export async function deleteUnread(q: Queryable, match: NotificationMatch): Promise<void> {
  await q
    .delete(notifications)
    .where(
      and(
        eq(notifications.recipientId, match.recipientId),
        eq(notifications.type, match.type),
        eq(notifications.actorId, match.actorId),
        eq(notifications.subjectType, match.subjectType),
        eq(notifications.subjectId, match.subjectId),
        isNull(notifications.readAt),
      ),
    );
}

/** Deletes every unread notification about `subject` (whoever it was for). */
export async function deleteUnreadAbout(q: Queryable, subjectType: SubjectType, subjectId: string): Promise<void> {
  await q
    .delete(notifications)
    .where(and(eq(notifications.subjectId, subjectId), eq(notifications.subjectType, subjectType), isNull(notifications.readAt)));
}

/** Deletes the user's inbox and every notification the user caused. */
export async function deleteNotificationsOf(q: Queryable, userId: string): Promise<void> {
  await q.delete(notifications).where(or(eq(notifications.recipientId, userId), eq(notifications.actorId, userId)));
}
