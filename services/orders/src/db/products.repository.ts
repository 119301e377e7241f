/**
 * The orders service's projection of the catalog: what a product is called and costs now.
 * Every function takes the database or an open transaction.
 */
import { sql } from 'drizzle-orm';
import type { Queryable } from '@agora/kit/db/database';
import { preparedStatement } from '@agora/kit/db/prepared-statement';
import { products } from './schema.ts';

export interface ProductState {
  id: string;
  name: string;
  priceCents: number;
  currency: string;
  updatedAt: Date;
}

export interface ProductRow {
  id: string;
  name: string | null;
  priceCents: number | null;
  currency: string | null;
  deletedAt: Date | null;
}

/** Takes the product's state unless a newer one is already here or the product is deleted. */
export async function recordProductState(q: Queryable, product: ProductState): Promise<void> {
  await q
    .insert(products)
    .values(product)
    .onConflictDoUpdate({
      target: products.id,
      set: { name: sql`excluded.name`, priceCents: sql`excluded.price_cents`, currency: sql`excluded.currency`, updatedAt: sql`excluded.updated_at` },
      setWhere: sql`${products.deletedAt} is null and (${products.updatedAt} is null or ${products.updatedAt} < excluded.updated_at)`,
    });
}

/** Marks the product deleted for good, leaving a tombstone when nothing else is known of it yet. */
export async function recordProductDeleted(q: Queryable, productId: string, deletedAt: Date): Promise<void> {
  await q
    .insert(products)
    .values({ id: productId, deletedAt })
    .onConflictDoUpdate({ target: products.id, set: { deletedAt: sql`coalesce(${products.deletedAt}, excluded.deleted_at)` } });
}

/** Built once per connection (the kit's preparedStatement): every checkout prices its lines. */
const findProductsStatement = preparedStatement('orders_find_products', (q) =>
  q
    .select({ id: products.id, name: products.name, priceCents: products.priceCents, currency: products.currency, deletedAt: products.deletedAt })
    .from(products)
    .where(sql`${products.id} = any(${sql.placeholder('ids')}::uuid[])`),
);

export async function findProducts(q: Queryable, productIds: string[]): Promise<Map<string, ProductRow>> {
  if (productIds.length === 0) return new Map();
  const rows = await findProductsStatement(q, { ids: productIds });
  return new Map(rows.map((row) => [row.id, row]));
}
