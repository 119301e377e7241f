/**
 * Authors as identity and users announce them: names and avatar shown with comments. A
 * profile.updated carries the whole profile and replaces what is known (last write wins); a
 * user.registered only fills names no profile has given yet. user.deleted erases the user's
 * comments (announced, so posts fixes its counts) and their likes here (fixing the like counts),
 * and leaves a tombstone so nothing later brings the user back.
 */
import type { Tx } from '@agora/kit/db/database';
import { recordErased, recordProfile, recordRegistration } from '../db/authors.repository.ts';
import { commentsWithLikeStateOf, deleteLikeStatesOf } from '../db/comment-likes.repository.ts';
import { adjustLikeCounts, commentIdsBy, deleteCommentsBy, lockComments } from '../db/comments.repository.ts';
import { announceDeletions } from './comments.ts';
import type { EventMeta } from './context.ts';

export async function registerAuthor(tx: Tx, account: { userId: string; username: string; displayName: string }): Promise<void> {
  await recordRegistration(tx, { id: account.userId, username: account.username, displayName: account.displayName });
}

export async function updateAuthor(tx: Tx, profile: { userId: string; username: string; displayName: string; avatarUrl: string | null }): Promise<void> {
  await recordProfile(tx, { id: profile.userId, username: profile.username, displayName: profile.displayName, avatarUrl: profile.avatarUrl });
}

export async function eraseAuthor(tx: Tx, userId: string, at: Date, meta: EventMeta): Promise<void> {
  // The tombstone's row lock waits for the user's comments and likes being written, and keeps
  // new ones out: from here on the sets read below can't grow.
  await recordErased(tx, userId, at);
  const own = await commentIdsBy(tx, userId);
  const liked = await commentsWithLikeStateOf(tx, userId);
  // Every comment touched, locked in one id-ordered step (as the other cascades do), so they can't deadlock.
  await lockComments(tx, [...new Set([...own, ...liked])]);
  const likedStill = await deleteLikeStatesOf(tx, userId);
  const deleted = await deleteCommentsBy(tx, userId);
  const gone = new Set(deleted.map((comment) => comment.id));
  await adjustLikeCounts(tx, likedStill.filter((id) => !gone.has(id)), -1);
  await announceDeletions(tx, deleted, at, meta);
}
