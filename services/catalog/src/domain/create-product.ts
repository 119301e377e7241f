/**
 * Putting a product on sale. The seller is the caller, never the body; its category must exist
 * and its images must be the seller's own uploads. The product and its product.created commit
 * together.
 */
import { errors } from '@agora/kit/errors';
import { newId } from '@agora/kit/ids';
import { isErased } from '../db/authors.repository.ts';
import { lockCategoryShared } from '../db/categories.repository.ts';
import { lockUserShared } from '../db/locks.repository.ts';
import { findProductView } from '../db/product-views.repository.ts';
import { insertProduct } from '../db/products.repository.ts';
import type { CatalogContext, EventMeta } from './context.ts';
import { unknownCategory } from './errors.ts';
import { emit } from './events.ts';
import { checkImages, productChanged, toProduct, type Product } from './products.ts';

export const DEFAULT_CURRENCY = 'USD';

export interface NewProductInput {
  name: string;
  description: string;
  priceCents: number;
  currency?: string | undefined;
  stock: number;
  categoryId?: string | undefined;
  imageMediaIds?: string[] | undefined;
}

export async function createProduct(ctx: CatalogContext, sellerId: string, input: NewProductInput, meta: EventMeta): Promise<Product> {
  const id = newId();
  const at = ctx.clock.now();
  const imageMediaIds = input.imageMediaIds ?? [];
  return ctx.database.transaction(async (tx) => {
    await lockUserShared(tx, sellerId);
    // A token can outlive its account by a few minutes; nothing is put on sale for an erased seller.
    if (await isErased(tx, sellerId)) throw errors.forbidden('CATALOG.ACCOUNT_DELETED', 'This account was deleted');
    if (input.categoryId !== undefined && !(await lockCategoryShared(tx, input.categoryId))) throw unknownCategory();
    await checkImages(tx, sellerId, imageMediaIds);
    const row = await insertProduct(tx, {
      id,
      sellerId,
      name: input.name.trim(),
      description: input.description,
      priceCents: input.priceCents,
      currency: input.currency ?? DEFAULT_CURRENCY,
      categoryId: input.categoryId ?? null,
      imageMediaIds,
      stock: input.stock,
      createdAt: at,
    });
    await emit(tx, 'product.created', productChanged(row), meta);
    return toProduct((await findProductView(tx, id))!);
  });
}
