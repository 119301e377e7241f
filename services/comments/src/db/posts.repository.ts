/** The posts projection (fed by post.created / post.deleted). Every function takes the database or an open transaction. */
import { eq, sql } from 'drizzle-orm';
import type { Queryable } from '@agora/kit/db/database';
import { posts, type PostRow } from './schema.ts';

export type { PostRow };

/** A post.created for a post already known (or already deleted) changes nothing. */
export async function recordPost(q: Queryable, post: { id: string; authorId: string }): Promise<void> {
  await q.insert(posts).values(post).onConflictDoNothing();
}

/** Marks the post deleted, creating its tombstone when post.deleted overtook post.created. Locks the row. */
export async function recordPostDeleted(q: Queryable, post: { id: string; authorId: string }, at: Date): Promise<void> {
  await q
    .insert(posts)
    .values({ ...post, deletedAt: at })
    .onConflictDoUpdate({ target: posts.id, set: { deletedAt: sql`coalesce(${posts.deletedAt}, excluded.deleted_at)` } });
}

export async function findPost(q: Queryable, id: string): Promise<PostRow | null> {
  const [row] = await q.select().from(posts).where(eq(posts.id, id));
  return row ?? null;
}

/**
 * Reads the post and holds a share lock on it until the transaction ends, so a post.deleted
 * (which writes the row) waits for a comment being written to commit, and its cascade sees it.
 */
export async function lockPost(q: Queryable, id: string): Promise<PostRow | null> {
  const [row] = await q.select().from(posts).where(eq(posts.id, id)).for('share');
  return row ?? null;
}
