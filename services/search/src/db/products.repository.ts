/** The products projection. Every function takes the database or an open transaction. */
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Queryable } from '@agora/kit/db/database';
import { products } from './schema.ts';

export interface ProductVersion {
  id: string;
  sellerId: string;
  name: string;
  description: string;
  priceCents: number;
  currency: string;
  categoryId: string | null;
  updatedAt: Date;
}

/** product.created and product.updated carry the whole product: the newest by updatedAt wins. */
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

/** A tombstone with the text erased; a late product.created or product.updated leaves it so. */
export async function recordDeleted(q: Queryable, product: { id: string; sellerId: string; deletedAt: Date }): Promise<void> {
  const erased = { name: '', description: '' };
  await q
    .insert(products)
    .values({ id: product.id, sellerId: product.sellerId, ...erased, priceCents: 0, currency: '', updatedAt: product.deletedAt, deletedAt: product.deletedAt })
    .onConflictDoUpdate({ target: products.id, set: { ...erased, deletedAt: sql`coalesce(${products.deletedAt}, excluded.deleted_at)` } });
}

export async function eraseBySeller(q: Queryable, sellerId: string, at: Date): Promise<void> {
  await q
    .update(products)
    .set({ name: '', description: '', deletedAt: at })
    .where(and(eq(products.sellerId, sellerId), isNull(products.deletedAt)));
}
