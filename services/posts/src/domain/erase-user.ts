/**
 * user.deleted: everything posts holds about the user goes, and every count it touched is fixed.
 * Their posts are deleted (each announced with post.deleted, so comments, likes, media and
 * search drop theirs), with the feed entries, likes and comments hanging on them; so are their
 * own feed, their follow edges (no user.unfollowed comes for those), their likes and comments on
 * other posts (those posts' counts drop), their media and their author entry. A tombstone keeps
 * events about them that arrive later from bringing anything back.
 */
import type { Tx } from '@agora/kit/db/database';
import { deleteAuthor, recordErased } from '../db/authors.repository.ts';
import { deleteCommentsOf } from '../db/comments.repository.ts';
import { deleteFeedOf } from '../db/feed.repository.ts';
import { deleteEdgesOf, followeesOf, lockFollowerCounts } from '../db/follows.repository.ts';
import { deleteLikesOf } from '../db/likes.repository.ts';
import { lockUserExclusive } from '../db/locks.repository.ts';
import { deleteMediaOf } from '../db/media.repository.ts';
import { deletePostsOf, lockPosts, postIdsTouchedBy } from '../db/posts.repository.ts';
import type { EventMeta } from './context.ts';
import { emit } from './events.ts';

export async function eraseUser(tx: Tx, userId: string, at: Date, meta: EventMeta): Promise<void> {
  // Waits for the handlers writing about this user to finish; later ones see the tombstone.
  await lockUserExclusive(tx, userId);
  if (!(await recordErased(tx, userId, at))) return;
  // Locks in the order every other writer takes them (posts, then follower counts), in id order.
  await lockPosts(tx, await postIdsTouchedBy(tx, userId));
  await lockFollowerCounts(tx, [userId, ...(await followeesOf(tx, userId))]);

  for (const post of await deletePostsOf(tx, userId)) {
    await emit(tx, 'post.deleted', { postId: post.id, authorId: userId, mediaIds: post.mediaIds, deletedAt: at.toISOString() }, meta);
  }
  await deleteFeedOf(tx, userId);
  await deleteEdgesOf(tx, userId);
  await deleteLikesOf(tx, userId);
  await deleteCommentsOf(tx, userId);
  await deleteMediaOf(tx, userId);
  await deleteAuthor(tx, userId);
}
