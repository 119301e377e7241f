/**
 * Reviews: one per buyer and product, by a buyer with a confirmed order of it (a purchase record
 * from order.confirmed, taken back by order.cancelled), never by the product's seller. The
 * product's rating moves in the review's transaction. Lists are newest first with the author's
 * summary from the authors projection.
 */
import { errors } from '@agora/kit/errors';
import { isUuid, newId } from '@agora/kit/ids';
import { decodeCursor, pageOf } from '@agora/kit/pagination';
import { findAuthor } from '../db/authors.repository.ts';
import { lockUserShared } from '../db/locks.repository.ts';
import { findProductView } from '../db/product-views.repository.ts';
import { addRating, lockLiveProduct } from '../db/products.repository.ts';
import { hasPurchased } from '../db/purchases.repository.ts';
import { insertReview, listReviewViews, type ReviewPosition, type ReviewView } from '../db/reviews.repository.ts';
import type { CatalogContext } from './context.ts';
import { productNotFound } from './errors.ts';

export interface Review {
  id: string;
  productId: string;
  author: { id: string; username: string; displayName: string; avatarUrl: string | null };
  rating: number;
  text: string | null;
  createdAt: string;
}

export interface ReviewInput {
  rating: number;
  text?: string | undefined;
}

const toReview = (view: ReviewView): Review => ({
  id: view.id,
  productId: view.productId,
  author: { id: view.authorId, username: view.username, displayName: view.displayName, avatarUrl: view.avatarUrl },
  rating: view.rating,
  text: view.text,
  createdAt: view.createdAt.toISOString(),
});

export async function writeReview(ctx: CatalogContext, authorId: string, productId: string, input: ReviewInput): Promise<Review> {
  const at = ctx.clock.now();
  const text = input.text?.trim() ? input.text.trim() : null;
  return ctx.database.transaction(async (tx) => {
    // Lock order shared with erasure and the saga: the user, their purchases, then the product.
    await lockUserShared(tx, authorId);
    const purchased = await hasPurchased(tx, authorId, productId);
    const product = await lockLiveProduct(tx, productId);
    if (!product) throw productNotFound();
    if (product.sellerId === authorId) throw errors.forbidden('CATALOG.OWN_PRODUCT', 'Sellers can’t review their own products');
    if (!purchased) throw errors.forbidden('CATALOG.NOT_PURCHASED', 'Only buyers with a confirmed order of this product can review it');
    const author = await findAuthor(tx, authorId);
    if (!author) throw errors.notFound('CATALOG.AUTHOR_NOT_READY', 'Your account is not known to the catalog yet; try again in a moment');
    const id = newId();
    if (!(await insertReview(tx, { id, productId, authorId, rating: input.rating, text, createdAt: at }))) {
      throw errors.conflict('CATALOG.ALREADY_REVIEWED', 'You have reviewed this product already');
    }
    await addRating(tx, productId, input.rating);
    return toReview({ id, productId, authorId, username: author.username, displayName: author.displayName, avatarUrl: author.avatarUrl, rating: input.rating, text, createdAt: at });
  });
}

export interface ReviewPage {
  items: Review[];
  nextCursor: string | null;
}

export async function listReviews(ctx: CatalogContext, productId: string, query: { limit: number; cursor?: string | undefined }): Promise<ReviewPage> {
  const db = ctx.database.db;
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, parsePosition);
  if (!(await findProductView(db, productId))) throw productNotFound();
  const rows = await listReviewViews(db, productId, after, query.limit + 1);
  const { page, nextCursor } = pageOf(rows, query.limit, (row) => `${row.createdAt.toISOString()}|${row.id}`);
  return { items: page.map(toReview), nextCursor };
}

const ISO_MILLIS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function parsePosition(raw: string): ReviewPosition | undefined {
  const [createdAt, id, ...rest] = raw.split('|');
  if (rest.length > 0 || createdAt === undefined || id === undefined) return undefined;
  if (!ISO_MILLIS.test(createdAt) || Number.isNaN(Date.parse(createdAt)) || !isUuid(id)) return undefined;
  return { createdAt, id };
}
