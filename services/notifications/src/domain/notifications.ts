/** How notifications look from outside: the list item, the stream's event data and the live push are the same object. */
import type { NotificationView } from '../db/notifications.repository.ts';
import type { NotificationType, SubjectStatus, SubjectType } from '../db/schema.ts';

export type { NotificationType, SubjectStatus, SubjectType };

export interface ActorSummary {
  id: string;
  username: string;
  displayName: string;
  avatarUrl: string | null;
}

export interface Notification {
  id: string;
  type: NotificationType;
  /** Absent for notifications nobody in particular caused (orders, payments) and while the actor's profile is unknown here. */
  actor?: ActorSummary;
  subject: { type: SubjectType; id: string };
  /** Order and payment notifications: what happened to the subject. */
  status?: SubjectStatus;
  read: boolean;
  createdAt: string;
}

export const toNotification = (view: NotificationView): Notification => ({
  id: view.id,
  type: view.type,
  ...(view.actorId !== null && view.actor !== null ? { actor: { id: view.actorId, ...view.actor } } : {}),
  subject: { type: view.subjectType, id: view.subjectId },
  ...(view.status !== null ? { status: view.status } : {}),
  read: view.readAt !== null,
  createdAt: view.createdAt.toISOString(),
});
