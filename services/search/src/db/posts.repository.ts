/** The posts projection. Every function takes the database or an open transaction. */
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Queryable } from '@agora/kit/db/database';
import { posts } from './schema.ts';

/**
 * post.created: the post becomes visible. A post.updated that overtook it may have left a newer
 * text already, which stays; a tombstone stays a tombstone.
 */
export async function recordCreated(q: Queryable, post: { id: string; authorId: string; text: string; createdAt: Date }): Promise<void> {
  await q
    .insert(posts)
    .values({ id: post.id, authorId: post.authorId, text: post.text, textAt: post.createdAt, createdAt: post.createdAt })
    .onConflictDoUpdate({
      target: posts.id,
      set: {
        createdAt: sql`coalesce(${posts.createdAt}, excluded.created_at)`,
        text: sql`case when excluded.text_at > ${posts.textAt} then excluded.text else ${posts.text} end`,
        textAt: sql`greatest(${posts.textAt}, excluded.text_at)`,
      },
      setWhere: isNull(posts.deletedAt),
    });
}

/** post.updated: the text, unless a newer one is held (last write wins by updatedAt). */
export async function recordUpdated(q: Queryable, post: { id: string; authorId: string; text: string; updatedAt: Date }): Promise<void> {
  await q
    .insert(posts)
    .values({ id: post.id, authorId: post.authorId, text: post.text, textAt: post.updatedAt, createdAt: null })
    .onConflictDoUpdate({
      target: posts.id,
      set: { text: post.text, textAt: post.updatedAt },
      setWhere: and(isNull(posts.deletedAt), gt(sql`excluded.text_at`, posts.textAt)),
    });
}

/** A tombstone with the text erased; a post.created or post.updated arriving later leaves it so. */
export async function recordDeleted(q: Queryable, post: { id: string; authorId: string; deletedAt: Date }): Promise<void> {
  await q
    .insert(posts)
    .values({ id: post.id, authorId: post.authorId, text: '', textAt: post.deletedAt, deletedAt: post.deletedAt })
    .onConflictDoUpdate({ target: posts.id, set: { text: '', deletedAt: sql`coalesce(${posts.deletedAt}, excluded.deleted_at)` } });
}

export async function eraseByAuthor(q: Queryable, authorId: string, at: Date): Promise<void> {
  await q
    .update(posts)
    .set({ text: '', deletedAt: at })
    .where(and(eq(posts.authorId, authorId), isNull(posts.deletedAt)));
}
