/**
 * Putting a notification in someone's inbox, the one way every consumer does it: nobody is
 * notified of their own action, nothing is kept for or about an erased user, the causing event
 * can't create two notifications, and the recipient's open streams hear of it once the consumer's
 * transaction has committed. Consumers of order.* and payment.* call `notify` with no actor.
 */
import type { Tx } from '@agora/kit/db/database';
import { newId } from '@agora/kit/ids';
import { findErased } from '../db/authors.repository.ts';
import { findNotification, insertNotification } from '../db/notifications.repository.ts';
import { lockUsers } from '../db/user-locks.repository.ts';
import type { NotificationsContext } from './context.ts';
import { toNotification, type NotificationType, type SubjectStatus, type SubjectType } from './notifications.ts';

export interface NotificationInput {
  recipientId: string;
  type: NotificationType;
  actorId: string | null;
  subject: { type: SubjectType; id: string };
  /** For order and payment notifications: what happened to the subject. */
  status?: SubjectStatus;
  /** The event that caused it. */
  eventId: string;
}

/**
 * Locks the users against a concurrent erasure and tells whether any of them is erased. After it,
 * a user.deleted for them waits for this transaction, so nothing written here outlives the erasure.
 */
export async function involvesErased(tx: Tx, userIds: string[]): Promise<boolean> {
  await lockUsers(tx, userIds, 'shared');
  return (await findErased(tx, userIds)).length > 0;
}

export async function notify(ctx: NotificationsContext, tx: Tx, input: NotificationInput): Promise<void> {
  if (input.actorId === input.recipientId) return;
  if (await involvesErased(tx, input.actorId === null ? [input.recipientId] : [input.recipientId, input.actorId])) return;
  await addToInbox(ctx, tx, input);
}

/** `notify` without its checks, for callers that made them already. */
export async function addToInbox(ctx: NotificationsContext, tx: Tx, input: NotificationInput): Promise<void> {
  const id = newId();
  const inserted = await insertNotification(tx, {
    id,
    recipientId: input.recipientId,
    type: input.type,
    actorId: input.actorId,
    subjectType: input.subject.type,
    subjectId: input.subject.id,
    status: input.status ?? null,
    eventId: input.eventId,
    createdAt: ctx.clock.now(),
  });
  if (!inserted) return;
  const view = await findNotification(tx, id);
  if (view) ctx.live.announceAfterCommit(input.recipientId, toNotification(view));
}
