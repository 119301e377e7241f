/** The comments of each post (a projection of comment.created / comment.deleted). Every function takes the database or an open transaction. */
import { eq, sql } from 'drizzle-orm';
import type { Queryable } from '@agora/kit/db/database';
import { postComments, posts } from './schema.ts';

export async function findComment(q: Queryable, commentId: string): Promise<{ postId: string; deleted: boolean } | null> {
  const [row] = await q.select({ postId: postComments.postId, deleted: postComments.deleted }).from(postComments).where(eq(postComments.commentId, commentId));
  return row ?? null;
}

/** True when the comment is new here (neither seen nor tombstoned before). */
export async function insertCommentIfNew(q: Queryable, comment: { commentId: string; postId: string; authorId: string }): Promise<boolean> {
  const inserted = await q
    .insert(postComments)
    .values({ ...comment, deleted: false })
    .onConflictDoNothing()
    .returning({ commentId: postComments.commentId });
  return inserted.length > 0;
}

export async function insertTombstone(q: Queryable, comment: { commentId: string; postId: string; authorId: string }): Promise<void> {
  await q.insert(postComments).values({ ...comment, deleted: true }).onConflictDoNothing();
}

export async function markDeleted(q: Queryable, commentId: string): Promise<void> {
  await q.update(postComments).set({ deleted: true }).where(eq(postComments.commentId, commentId));
}

/** Removes the user's comment rows, taking their live comments off each post's count. */
export async function deleteCommentsOf(q: Queryable, authorId: string): Promise<void> {
  await q.execute(sql`
    with gone as (delete from ${postComments} where author_id = ${authorId}::uuid returning post_id, deleted),
    per_post as (select post_id, count(*)::int as n from gone where not deleted group by post_id)
    update ${posts} p set comment_count = greatest(p.comment_count - per_post.n, 0)
    from per_post where p.id = per_post.post_id`);
}
