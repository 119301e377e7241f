/** Reviews and the author summaries shown with them. Every function takes the database or an open transaction. */
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Queryable } from '@agora/kit/db/database';
import { authors, reviews } from './schema.ts';

export interface ReviewView {
  id: string;
  productId: string;
  authorId: string;
  username: string;
  displayName: string;
  avatarUrl: string | null;
  rating: number;
  text: string | null;
  createdAt: Date;
}

/** Where a page starts: strictly after this (createdAt, id), newest first. */
export interface ReviewPosition {
  createdAt: string;
  id: string;
}

export interface NewReview {
  id: string;
  productId: string;
  authorId: string;
  rating: number;
  text: string | null;
  createdAt: Date;
}

/** False when the author reviewed the product already. */
export async function insertReview(q: Queryable, review: NewReview): Promise<boolean> {
  const inserted = await q.insert(reviews).values(review).onConflictDoNothing().returning({ id: reviews.id });
  return inserted.length > 0;
}

/** The product's reviews, newest first; reviews whose author isn't known here are left out. */
export async function listReviewViews(q: Queryable, productId: string, position: ReviewPosition | undefined, take: number): Promise<ReviewView[]> {
  const conditions = [eq(reviews.productId, productId)];
  if (position) conditions.push(sql`(${reviews.createdAt}, ${reviews.id}) < (${position.createdAt}::timestamptz, ${position.id}::uuid)`);
  return q
    .select({
      id: reviews.id,
      productId: reviews.productId,
      authorId: reviews.authorId,
      username: authors.username,
      displayName: authors.displayName,
      avatarUrl: authors.avatarUrl,
      rating: reviews.rating,
      text: reviews.text,
      createdAt: reviews.createdAt,
    })
    .from(reviews)
    .innerJoin(authors, eq(authors.id, reviews.authorId))
    .where(and(...conditions))
    .orderBy(desc(reviews.createdAt), desc(reviews.id))
    .limit(take);
}

export async function productIdsReviewedBy(q: Queryable, authorId: string): Promise<string[]> {
  const rows = await q.select({ productId: reviews.productId }).from(reviews).where(eq(reviews.authorId, authorId));
  return rows.map((row) => row.productId);
}

export async function deleteReviewsOf(q: Queryable, authorId: string): Promise<void> {
  await q.delete(reviews).where(eq(reviews.authorId, authorId));
}
