/** Home-feed entries: fan-out, backfill and removal. Every function takes the database or an open transaction. */
import { and, eq, sql } from 'drizzle-orm';
import type { Queryable } from '@agora/kit/db/database';
import { feedEntries } from './schema.ts';

/** One entry per active follower of the author, in one statement; a repeat adds nothing. */
export async function fanOut(q: Queryable, post: { id: string; authorId: string; createdAt: Date }): Promise<void> {
  await q.execute(sql`
    insert into ${feedEntries} (owner_id, post_id, author_id, created_at)
    select follower_id, ${post.id}::uuid, ${post.authorId}::uuid, ${post.createdAt.toISOString()}::timestamptz
    from follows where followee_id = ${post.authorId}::uuid and active
    on conflict do nothing`);
}

/**
 * Gives a new follower the followee's `count` most recent posts, those of them that were fanned
 * out (the others reach the follower's feed when it is read). `for key share` waits for a
 * deletion of one of them in flight, and skips it once gone.
 */
export async function backfill(q: Queryable, followerId: string, followeeId: string, count: number): Promise<void> {
  await q.execute(sql`
    insert into ${feedEntries} (owner_id, post_id, author_id, created_at)
    select ${followerId}::uuid, recent.id, recent.author_id, recent.created_at
    from (
      select id, author_id, created_at, fanned_out from posts
      where author_id = ${followeeId}::uuid
      order by created_at desc, id desc
      limit ${count}
      for key share
    ) recent
    where recent.fanned_out
    on conflict do nothing`);
}

export async function removeAuthorFromFeed(q: Queryable, ownerId: string, authorId: string): Promise<void> {
  await q.delete(feedEntries).where(and(eq(feedEntries.ownerId, ownerId), eq(feedEntries.authorId, authorId)));
}

export async function deleteFeedOf(q: Queryable, ownerId: string): Promise<void> {
  await q.delete(feedEntries).where(eq(feedEntries.ownerId, ownerId));
}
