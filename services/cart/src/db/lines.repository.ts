/** Cart lines, one per (user, product). Every function takes the database or an open transaction. */
import { and, asc, eq, inArray, isNull, lte } from 'drizzle-orm';
import type { Queryable } from '@agora/kit/db/database';
import { cartLines, products } from './schema.ts';

export interface PricedLine {
  productId: string;
  name: string;
  unitPriceCents: number;
  currency: string;
  quantity: number;
  changedAt: Date;
}

/**
 * The user's lines with their products' current names and prices, oldest line first: the whole
 * cart in one query (orders reads it on every checkout). A line of a deleted product is left out
 * (product.deleted removes it anyway).
 */
export async function readLines(q: Queryable, userId: string): Promise<PricedLine[]> {
  return q
    .select({
      productId: cartLines.productId,
      name: products.name,
      unitPriceCents: products.priceCents,
      currency: products.currency,
      quantity: cartLines.quantity,
      changedAt: cartLines.changedAt,
    })
    .from(cartLines)
    .innerJoin(products, eq(products.id, cartLines.productId))
    .where(and(eq(cartLines.userId, userId), isNull(products.deletedAt)))
    .orderBy(asc(cartLines.addedAt), asc(cartLines.productId));
}

/** Sets the quantity of a line, adding it if absent; either way the line's last change is `at`. */
export async function upsertLine(q: Queryable, line: { userId: string; productId: string; quantity: number; at: Date }): Promise<void> {
  await q
    .insert(cartLines)
    .values({ userId: line.userId, productId: line.productId, quantity: line.quantity, addedAt: line.at, changedAt: line.at })
    .onConflictDoUpdate({ target: [cartLines.userId, cartLines.productId], set: { quantity: line.quantity, changedAt: line.at } });
}

export async function deleteLine(q: Queryable, userId: string, productId: string): Promise<void> {
  await q.delete(cartLines).where(and(eq(cartLines.userId, userId), eq(cartLines.productId, productId)));
}

export async function deleteLinesOf(q: Queryable, userId: string): Promise<void> {
  await q.delete(cartLines).where(eq(cartLines.userId, userId));
}

export async function deleteLinesOfProduct(q: Queryable, productId: string): Promise<void> {
  await q.delete(cartLines).where(eq(cartLines.productId, productId));
}

/**
 * The lines of `productIds` in the user's cart not changed after `placedAt`. A line being changed
 * meanwhile is waited for and judged by its new change time (PostgreSQL re-checks the condition
 * on the row it locked), so a change racing the deletion is never lost.
 */
export async function deleteLinesUnchangedSince(q: Queryable, userId: string, productIds: string[], placedAt: Date): Promise<number> {
  if (productIds.length === 0) return 0;
  const deleted = await q
    .delete(cartLines)
    .where(and(eq(cartLines.userId, userId), inArray(cartLines.productId, productIds), lte(cartLines.changedAt, placedAt)))
    .returning({ productId: cartLines.productId });
  return deleted.length;
}
