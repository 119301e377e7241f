/** Products, their stock ledger and their rating. Every function takes the database or an open transaction. */
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Queryable } from '@agora/kit/db/database';
import { products, type ProductRow } from './schema.ts';

export type { ProductRow };

export interface NewProduct {
  id: string;
  sellerId: string;
  name: string;
  description: string;
  priceCents: number;
  currency: string;
  categoryId: string | null;
  imageMediaIds: string[];
  stock: number;
  createdAt: Date;
}

export async function insertProduct(q: Queryable, product: NewProduct): Promise<ProductRow> {
  const { stock, ...rest } = product;
  const [row] = await q
    .insert(products)
    .values({ ...rest, available: stock, reserved: 0, sold: 0, stocked: stock, ratingSum: 0, ratingCount: 0, updatedAt: product.createdAt })
    .returning();
  return row!;
}

/** Locks a live product for the rest of the transaction and returns it; null when unknown or deleted. */
export async function lockLiveProduct(q: Queryable, id: string): Promise<ProductRow | null> {
  const [row] = await q
    .select()
    .from(products)
    .where(and(eq(products.id, id), isNull(products.deletedAt)))
    .for('update');
  return row ?? null;
}

/** Locks products, deleted ones too, in id order so two transactions can't deadlock; returns those found. */
export async function lockProducts(q: Queryable, ids: string[]): Promise<ProductRow[]> {
  if (ids.length === 0) return [];
  return q
    .select()
    .from(products)
    .where(inArray(products.id, [...new Set(ids)]))
    .orderBy(asc(products.id))
    .for('update');
}

export interface ProductChanges {
  name?: string;
  description?: string;
  priceCents?: number;
  currency?: string;
  categoryId?: string | null;
  imageMediaIds?: string[];
  /** New available units; `stocked` moves by the same difference so the ledger still balances. */
  stock?: number;
  updatedAt: Date;
}

export async function updateProduct(q: Queryable, id: string, changes: ProductChanges): Promise<ProductRow> {
  const { stock, ...rest } = changes;
  const set = stock === undefined ? rest : { ...rest, available: stock, stocked: sql`${products.stocked} + (${stock}::bigint - ${products.available})` };
  const [row] = await q.update(products).set(set).where(eq(products.id, id)).returning();
  return row!;
}

export async function markDeleted(q: Queryable, id: string, at: Date): Promise<void> {
  await q.update(products).set({ deletedAt: at }).where(eq(products.id, id));
}

export async function liveProductIdsOfSeller(q: Queryable, sellerId: string): Promise<string[]> {
  const rows = await q
    .select({ id: products.id })
    .from(products)
    .where(and(eq(products.sellerId, sellerId), isNull(products.deletedAt)));
  return rows.map((row) => row.id);
}

/**
 * Takes the category off every product in it (deleted ones too, so the category row can go) and
 * returns the live ones, whose change is announced. Callers hold the products' row locks.
 */
export async function detachCategory(q: Queryable, categoryId: string, at: Date): Promise<ProductRow[]> {
  const rows = await q
    .update(products)
    .set({ categoryId: null, updatedAt: sql`greatest(${at.toISOString()}::timestamptz, ${products.updatedAt} + interval '1 millisecond')` })
    .where(eq(products.categoryId, categoryId))
    .returning();
  return rows.filter((row) => row.deletedAt === null);
}

export async function productIdsInCategory(q: Queryable, categoryId: string): Promise<string[]> {
  const rows = await q.select({ id: products.id }).from(products).where(eq(products.categoryId, categoryId));
  return rows.map((row) => row.id);
}

/** The four buckets of the ledger; a move takes `quantity` from one bucket to another. */
export type StockBucket = 'available' | 'reserved' | 'sold';

/**
 * Moves units between buckets, never below zero: false (and nothing moved) when `from` holds
 * fewer than `quantity`. Callers hold the product's row lock; the condition is the last guard.
 */
export async function moveStock(q: Queryable, productId: string, from: StockBucket, to: StockBucket, quantity: number): Promise<boolean> {
  const source = products[from];
  const target = products[to];
  const moved = await q
    .update(products)
    .set({ [from]: sql`${source} - ${quantity}::bigint`, [to]: sql`${target} + ${quantity}::bigint` })
    .where(and(eq(products.id, productId), sql`${source} >= ${quantity}::bigint`))
    .returning({ id: products.id });
  return moved.length > 0;
}

export async function addRating(q: Queryable, productId: string, rating: number): Promise<void> {
  await q
    .update(products)
    .set({ ratingSum: sql`${products.ratingSum} + ${rating}::int`, ratingCount: sql`${products.ratingCount} + 1` })
    .where(eq(products.id, productId));
}

/** Sets each product's rating from the reviews it has now. */
export async function recomputeRatings(q: Queryable, productIds: string[]): Promise<void> {
  if (productIds.length === 0) return;
  await q
    .update(products)
    .set({
      ratingSum: sql`(select coalesce(sum(r.rating), 0)::int from reviews r where r.product_id = products.id)`,
      ratingCount: sql`(select count(*)::int from reviews r where r.product_id = products.id)`,
    })
    .where(inArray(products.id, productIds));
}
