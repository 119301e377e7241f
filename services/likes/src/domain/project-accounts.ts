/**
 * The likers' names follow identity's accounts and users' profiles; an erased user's likes go
 * with them. A user.deleted that overtakes user.registered or profile.updated leaves a tombstone,
 * so the late event brings no name back.
 */
import type { Tx } from '@agora/kit/db/database';
import { deleteAuthor, holdUserExclusive, holdUserShared, insertAuthorIfNew, isErased, recordErased, upsertAuthor, type Author } from '../db/authors.repository.ts';
import { deleteLikesBy } from '../db/likes.repository.ts';
import { findComments, findPostAuthors } from '../db/targets.repository.ts';
import type { EventMeta } from './context.ts';
import { emit } from './events.ts';

/** user.registered: a first sight of the user, which a profile already known overrides. */
export async function trackRegistration(tx: Tx, author: Author): Promise<void> {
  await holdUserShared(tx, author.id);
  if (await isErased(tx, author.id)) return;
  await insertAuthorIfNew(tx, author);
}

/** profile.updated carries the whole profile: the last one delivered wins. */
export async function trackProfile(tx: Tx, author: Author): Promise<void> {
  await holdUserShared(tx, author.id);
  if (await isErased(tx, author.id)) return;
  await upsertAuthor(tx, author);
}

/**
 * Removes the user's name and every like they gave. Posts and comments count those likes, so each
 * live one is taken back with post.unliked / comment.unliked (strictly after the pair's last
 * change). Likes on the user's own posts and comments go with the post.deleted / comment.deleted
 * their services publish.
 */
export async function eraseLiker(tx: Tx, userId: string, now: Date, meta: EventMeta): Promise<void> {
  await holdUserExclusive(tx, userId);
  await recordErased(tx, userId, now);
  await deleteAuthor(tx, userId);
  const live = (await deleteLikesBy(tx, userId)).filter((like) => like.liked);
  const postIds = live.filter((like) => like.kind === 'post').map((like) => like.targetId);
  const commentIds = live.filter((like) => like.kind === 'comment').map((like) => like.targetId);
  const postAuthors = await findPostAuthors(tx, postIds);
  const comments = await findComments(tx, commentIds);
  for (const like of live) {
    const at = new Date(Math.max(now.getTime(), like.changedAt.getTime() + 1)).toISOString();
    if (like.kind === 'post') {
      const postAuthorId = postAuthors.get(like.targetId);
      // A like needs its post in the projection, and rows there are never removed.
      if (postAuthorId) await emit(tx, 'post.unliked', { postId: like.targetId, postAuthorId, userId, at }, meta);
    } else {
      const comment = comments.get(like.targetId);
      if (comment) await emit(tx, 'comment.unliked', { commentId: like.targetId, commentAuthorId: comment.authorId, postId: comment.postId, userId, at }, meta);
    }
  }
}
