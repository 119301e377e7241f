/** How products look from outside, and what creating and editing one share. */
import type { EventData } from '@agora/contracts/events';
import { errors } from '@agora/kit/errors';
import { findMediaByIds } from '../db/media.repository.ts';
import type { ProductView } from '../db/product-views.repository.ts';
import type { ProductRow } from '../db/products.repository.ts';
import type { Tx } from '@agora/kit/db/database';

export interface Product {
  id: string;
  sellerId: string;
  name: string;
  description: string;
  priceCents: number;
  currency: string;
  stock: number;
  category: { id: string; name: string } | null;
  imageUrls: string[];
  rating: { average: number; count: number };
  createdAt: string;
  updatedAt: string;
}

export const toProduct = (view: ProductView): Product => ({
  id: view.id,
  sellerId: view.sellerId,
  name: view.name,
  description: view.description,
  priceCents: Number(view.priceCents),
  currency: view.currency,
  stock: Number(view.stock),
  category: view.categoryId !== null && view.categoryName !== null ? { id: view.categoryId, name: view.categoryName } : null,
  imageUrls: view.imageUrls,
  rating: { average: Number(view.ratingAverage), count: Number(view.ratingCount) },
  createdAt: view.createdAt.toISOString(),
  updatedAt: view.updatedAt.toISOString(),
});

/** What product.created and product.updated carry: the product as search, the cart and orders need it. */
export const productChanged = (row: ProductRow): EventData<'product.updated'> => ({
  productId: row.id,
  sellerId: row.sellerId,
  name: row.name,
  description: row.description,
  priceCents: Number(row.priceCents),
  currency: row.currency,
  categoryId: row.categoryId,
  updatedAt: row.updatedAt.toISOString(),
});

/**
 * The time of a product's next change: now, or 1 ms after the last one when the clock says
 * otherwise, so consumers keeping the newest version by `updatedAt` never drop a real change.
 */
export const nextChangeAt = (now: Date, last: Date): Date => new Date(Math.max(now.getTime(), last.getTime() + 1));

/** Every image must be an upload of the seller's that still exists (400 CATALOG.UNKNOWN_MEDIA otherwise). */
export async function checkImages(tx: Tx, sellerId: string, mediaIds: string[]): Promise<void> {
  const found = new Map((await findMediaByIds(tx, mediaIds)).map((row) => [row.id, row]));
  const refused = mediaIds.flatMap((mediaId, index) => {
    const row = found.get(mediaId);
    return row && row.ownerId === sellerId && row.deletedAt === null && row.url !== null ? [] : [index];
  });
  if (refused.length > 0) {
    throw errors.badRequest('CATALOG.UNKNOWN_MEDIA', 'Every image must be an upload of the seller’s', {
      errors: refused.map((index) => ({ path: `body/imageMediaIds/${index}`, message: 'is not media the seller uploaded' })),
    });
  }
}
