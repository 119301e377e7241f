/** Posts and the counts kept on them. Every function takes the database or an open transaction. */
import { asc, eq, inArray, sql } from 'drizzle-orm';
import type { Queryable } from '@agora/kit/db/database';
import { postComments, postLikes, posts, type PostRow } from './schema.ts';

export type { PostRow };

export async function insertPost(
  q: Queryable,
  post: { id: string; authorId: string; text: string; mediaIds: string[]; createdAt: Date },
): Promise<void> {
  await q.insert(posts).values({ ...post, likeCount: 0, commentCount: 0, fannedOut: false, updatedAt: post.createdAt });
}

/**
 * Locks the post for the rest of the transaction (`for no key update`: feed entries, likes and
 * comments referencing it can still be inserted meanwhile) and returns it, or null if it is gone.
 */
export async function lockPost(q: Queryable, id: string): Promise<PostRow | null> {
  const [row] = await q.select().from(posts).where(eq(posts.id, id)).for('no key update');
  return row ?? null;
}

/** Locks several posts, in id order so two transactions can't deadlock; returns the ids found. */
export async function lockPosts(q: Queryable, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await q.select({ id: posts.id }).from(posts).where(inArray(posts.id, ids)).orderBy(asc(posts.id)).for('no key update');
  return rows.map((row) => row.id);
}

export async function updatePostText(q: Queryable, id: string, text: string, at: Date): Promise<void> {
  await q.update(posts).set({ text, updatedAt: at }).where(eq(posts.id, id));
}

export async function markFannedOut(q: Queryable, id: string): Promise<void> {
  await q.update(posts).set({ fannedOut: true }).where(eq(posts.id, id));
}

/** Deletes the post; its feed entries, like rows and comment rows go with it (on delete cascade). */
export async function deletePost(q: Queryable, id: string): Promise<void> {
  await q.delete(posts).where(eq(posts.id, id));
}

export async function deletePostsOf(q: Queryable, authorId: string): Promise<{ id: string; mediaIds: string[] }[]> {
  return q.delete(posts).where(eq(posts.authorId, authorId)).returning({ id: posts.id, mediaIds: posts.mediaIds });
}

/** The ids of the posts a user wrote, liked or commented on: what erasing the user touches. */
export async function postIdsTouchedBy(q: Queryable, userId: string): Promise<string[]> {
  const rows = await q.execute<{ id: string }>(sql`
    select id from ${posts} where author_id = ${userId}::uuid
    union select post_id from ${postLikes} where user_id = ${userId}::uuid
    union select post_id from ${postComments} where author_id = ${userId}::uuid`);
  return rows.rows.map((row) => row.id);
}

/** Adds `delta` to the post's counts, never below zero. */
export async function adjustCounts(q: Queryable, id: string, delta: { likes?: number; comments?: number }): Promise<void> {
  const likes = delta.likes ?? 0;
  const comments = delta.comments ?? 0;
  await q
    .update(posts)
    .set({
      likeCount: sql`greatest(${posts.likeCount} + ${likes}, 0)`,
      commentCount: sql`greatest(${posts.commentCount} + ${comments}, 0)`,
    })
    .where(eq(posts.id, id));
}
