/**
 * The products projection: what a cart line shows and is priced at. Rows are never removed: a
 * deleted product keeps a tombstone. Every function takes the database or an open transaction.
 */
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Queryable } from '@agora/kit/db/database';
import { products } from './schema.ts';

export interface ProductVersion {
  id: string;
  name: string;
  priceCents: number;
  currency: string;
  updatedAt: Date;
}

/** product.created and product.updated carry the whole product: the newest by updatedAt wins, and a tombstone stays one. */
export async function recordVersion(q: Queryable, product: ProductVersion): Promise<void> {
  const { id: _id, ...fields } = product;
  await q
    .insert(products)
    .values(product)
    .onConflictDoUpdate({
      target: products.id,
      set: fields,
      setWhere: and(isNull(products.deletedAt), gt(sql`excluded.updated_at`, products.updatedAt)),
    });
}

/**
 * Marks the product deleted, creating its tombstone when no version has arrived yet. The row
 * lock it takes makes it wait for cart writes holding the product (lockProductForLine).
 */
export async function recordDeleted(q: Queryable, productId: string, deletedAt: Date): Promise<void> {
  const blank = { name: '', priceCents: 0, currency: '' };
  await q
    .insert(products)
    .values({ id: productId, ...blank, updatedAt: deletedAt, deletedAt })
    .onConflictDoUpdate({ target: products.id, set: { ...blank, deletedAt: sql`coalesce(${products.deletedAt}, excluded.deleted_at)` } });
}

export interface SellableProduct {
  name: string;
  priceCents: number;
  currency: string;
}

/**
 * The product if it can go in a cart (known and not deleted), held until the transaction ends so
 * its deletion waits for this write and then drops the line it wrote.
 */
export async function lockProductForLine(q: Queryable, productId: string): Promise<SellableProduct | null> {
  const [row] = await q
    .select({ name: products.name, priceCents: products.priceCents, currency: products.currency, deletedAt: products.deletedAt })
    .from(products)
    .where(eq(products.id, productId))
    .for('share');
  if (!row || row.deletedAt !== null) return null;
  return { name: row.name, priceCents: row.priceCents, currency: row.currency };
}
