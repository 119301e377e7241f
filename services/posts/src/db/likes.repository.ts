/** Who likes which post (a projection of post.liked / post.unliked). Every function takes the database or an open transaction. */
import { and, eq, sql } from 'drizzle-orm';
import type { Queryable } from '@agora/kit/db/database';
import { postLikes, posts } from './schema.ts';

export interface LikeState {
  liked: boolean;
  changedAt: Date;
}

export async function findLike(q: Queryable, postId: string, userId: string): Promise<LikeState | null> {
  const [row] = await q
    .select({ liked: postLikes.liked, changedAt: postLikes.changedAt })
    .from(postLikes)
    .where(and(eq(postLikes.postId, postId), eq(postLikes.userId, userId)));
  return row ?? null;
}

export async function writeLike(q: Queryable, like: { postId: string; userId: string; liked: boolean; changedAt: Date }): Promise<void> {
  await q
    .insert(postLikes)
    .values(like)
    .onConflictDoUpdate({ target: [postLikes.postId, postLikes.userId], set: { liked: like.liked, changedAt: like.changedAt } });
}

/** Removes the user's like rows, taking their like off each post they liked. */
export async function deleteLikesOf(q: Queryable, userId: string): Promise<void> {
  await q.execute(sql`
    with gone as (delete from ${postLikes} where user_id = ${userId}::uuid returning post_id, liked)
    update ${posts} p set like_count = greatest(p.like_count - 1, 0)
    from gone where p.id = gone.post_id and gone.liked`);
}
