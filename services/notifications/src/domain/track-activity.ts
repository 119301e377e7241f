/**
 * Follows, likes and comments as sources of notifications. Each is a (kind, target, actor) whose
 * latest change wins: giving (followed, liked, created) notifies the recipient, taking back
 * (unfollowed, unliked, deleted) deletes that notification if it is still unread; a read one
 * stays, as the recipient has seen it. Delivery is unordered, so a change older than the one
 * recorded is ignored: an unlike that overtakes its like leaves the late like notifying nobody.
 */
import type { Tx } from '@agora/kit/db/database';
import { applyChange } from '../db/activity.repository.ts';
import { deleteUnread, deleteUnreadAbout } from '../db/notifications.repository.ts';
import type { ActivityKind } from '../db/schema.ts';
import type { NotificationsContext } from './context.ts';
import { addToInbox, involvesErased, type NotificationInput } from './notify.ts';

/** The event a change came from: its id, and when it happened. */
export interface Cause {
  eventId: string;
  at: Date;
}

interface Activity {
  kind: ActivityKind;
  targetId: string;
  actorId: string;
  /** Who is told, and about what. */
  notification: Omit<NotificationInput, 'eventId' | 'actorId'>;
}

async function give(ctx: NotificationsContext, tx: Tx, activity: Activity, cause: Cause): Promise<void> {
  const { recipientId } = activity.notification;
  if (activity.actorId === recipientId) return;
  if (await involvesErased(tx, [activity.actorId, recipientId])) return;
  if (!(await applyChange(tx, { kind: activity.kind, targetId: activity.targetId, actorId: activity.actorId, active: true, at: cause.at }))) return;
  await addToInbox(ctx, tx, { ...activity.notification, actorId: activity.actorId, eventId: cause.eventId });
}

async function takeBack(tx: Tx, activity: Activity, cause: Cause): Promise<void> {
  const { recipientId, type, subject } = activity.notification;
  if (activity.actorId === recipientId) return;
  if (await involvesErased(tx, [activity.actorId, recipientId])) return;
  if (!(await applyChange(tx, { kind: activity.kind, targetId: activity.targetId, actorId: activity.actorId, active: false, at: cause.at }))) return;
  await deleteUnread(tx, { recipientId, type, actorId: activity.actorId, subjectType: subject.type, subjectId: subject.id });
}

const follow = (follow: { followerId: string; followeeId: string }): Activity => ({
  kind: 'follow',
  targetId: follow.followeeId,
  actorId: follow.followerId,
  notification: { recipientId: follow.followeeId, type: 'follow', subject: { type: 'user', id: follow.followerId } },
});

const postLike = (like: { postId: string; postAuthorId: string; userId: string }): Activity => ({
  kind: 'post_like',
  targetId: like.postId,
  actorId: like.userId,
  notification: { recipientId: like.postAuthorId, type: 'like', subject: { type: 'post', id: like.postId } },
});

const commentLike = (like: { commentId: string; commentAuthorId: string; userId: string }): Activity => ({
  kind: 'comment_like',
  targetId: like.commentId,
  actorId: like.userId,
  notification: { recipientId: like.commentAuthorId, type: 'like', subject: { type: 'comment', id: like.commentId } },
});

export const recordFollow = (ctx: NotificationsContext, tx: Tx, data: { followerId: string; followeeId: string }, cause: Cause) => give(ctx, tx, follow(data), cause);
export const recordUnfollow = (tx: Tx, data: { followerId: string; followeeId: string }, cause: Cause) => takeBack(tx, follow(data), cause);

export const recordPostLike = (ctx: NotificationsContext, tx: Tx, data: { postId: string; postAuthorId: string; userId: string }, cause: Cause) =>
  give(ctx, tx, postLike(data), cause);
export const recordPostUnlike = (tx: Tx, data: { postId: string; postAuthorId: string; userId: string }, cause: Cause) => takeBack(tx, postLike(data), cause);

export const recordCommentLike = (ctx: NotificationsContext, tx: Tx, data: { commentId: string; commentAuthorId: string; userId: string }, cause: Cause) =>
  give(ctx, tx, commentLike(data), cause);
export const recordCommentUnlike = (tx: Tx, data: { commentId: string; commentAuthorId: string; userId: string }, cause: Cause) =>
  takeBack(tx, commentLike(data), cause);

export const recordComment = (ctx: NotificationsContext, tx: Tx, data: { commentId: string; postAuthorId: string; authorId: string }, cause: Cause) =>
  give(
    ctx,
    tx,
    {
      kind: 'comment',
      targetId: data.commentId,
      actorId: data.authorId,
      notification: { recipientId: data.postAuthorId, type: 'comment', subject: { type: 'comment', id: data.commentId } },
    },
    cause,
  );

/**
 * comment.deleted doesn't name the post's author, so the comment is looked up as a subject: its
 * unread notifications go, the comment notification and the likes it had alike, since the thing
 * they point at is gone.
 */
export async function recordCommentDeletion(tx: Tx, data: { commentId: string; authorId: string }, cause: Cause): Promise<void> {
  if (await involvesErased(tx, [data.authorId])) return;
  await applyChange(tx, { kind: 'comment', targetId: data.commentId, actorId: data.authorId, active: false, at: cause.at });
  await deleteUnreadAbout(tx, 'comment', data.commentId);
}
