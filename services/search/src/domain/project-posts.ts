/**
 * Posts, as the posts service announces them. Delivery is unordered: an update older than the
 * text held is ignored, an update overtaking its post.created is kept until the post appears, and
 * a deletion (of the post, or of its author) leaves it deleted whatever arrives later.
 */
import type { EventData } from '@agora/contracts/events';
import type { Tx } from '@agora/kit/db/database';
import { recordCreated, recordDeleted, recordUpdated } from '../db/posts.repository.ts';
import { isErased, lockOwner } from '../db/users.repository.ts';

/** Serializes with the author's erasure; false when the author is gone (their posts with them). */
async function authorStillHere(tx: Tx, authorId: string): Promise<boolean> {
  await lockOwner(tx, authorId);
  return !(await isErased(tx, authorId));
}

export async function createPost(tx: Tx, post: EventData<'post.created'>): Promise<boolean> {
  if (!(await authorStillHere(tx, post.authorId))) return false;
  await recordCreated(tx, { id: post.postId, authorId: post.authorId, text: post.text, createdAt: new Date(post.createdAt) });
  return true;
}

export async function updatePost(tx: Tx, post: EventData<'post.updated'>): Promise<boolean> {
  if (!(await authorStillHere(tx, post.authorId))) return false;
  await recordUpdated(tx, { id: post.postId, authorId: post.authorId, text: post.text, updatedAt: new Date(post.updatedAt) });
  return true;
}

export async function deletePost(tx: Tx, deletion: EventData<'post.deleted'>): Promise<void> {
  await recordDeleted(tx, { id: deletion.postId, authorId: deletion.authorId, deletedAt: new Date(deletion.deletedAt) });
}
