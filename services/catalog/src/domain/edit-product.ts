/**
 * Changing a product: its seller or an admin. `stock` sets the units that can be bought; what is
 * reserved or sold stays, and `stocked` moves by the difference so the ledger still balances.
 * Every change is announced with the whole product (product.updated).
 */
import type { Principal } from '@agora/kit/auth/access-token';
import { lockCategoryShared } from '../db/categories.repository.ts';
import { findProductView } from '../db/product-views.repository.ts';
import { lockLiveProduct, updateProduct } from '../db/products.repository.ts';
import type { CatalogContext, EventMeta } from './context.ts';
import { notYourProduct, productNotFound, unknownCategory } from './errors.ts';
import { emit } from './events.ts';
import { checkImages, nextChangeAt, productChanged, toProduct, type Product } from './products.ts';

export interface ProductEdit {
  name?: string | undefined;
  description?: string | undefined;
  priceCents?: number | undefined;
  currency?: string | undefined;
  stock?: number | undefined;
  /** null takes the product out of its category. */
  categoryId?: string | null | undefined;
  imageMediaIds?: string[] | undefined;
}

export const mayChange = (principal: Principal, sellerId: string): boolean => principal.userId === sellerId || principal.roles.includes('admin');

export async function editProduct(ctx: CatalogContext, principal: Principal, productId: string, edit: ProductEdit, meta: EventMeta): Promise<Product> {
  return ctx.database.transaction(async (tx) => {
    // The category first, as deleting a category locks it before its products: no deadlock.
    const categoryKnown = edit.categoryId ? (await lockCategoryShared(tx, edit.categoryId)) !== null : true;
    const row = await lockLiveProduct(tx, productId);
    if (!row) throw productNotFound();
    if (!mayChange(principal, row.sellerId)) throw notYourProduct();
    if (!categoryKnown) throw unknownCategory();
    if (edit.imageMediaIds !== undefined) await checkImages(tx, row.sellerId, edit.imageMediaIds);
    const updated = await updateProduct(tx, productId, {
      ...(edit.name !== undefined ? { name: edit.name.trim() } : {}),
      ...(edit.description !== undefined ? { description: edit.description } : {}),
      ...(edit.priceCents !== undefined ? { priceCents: edit.priceCents } : {}),
      ...(edit.currency !== undefined ? { currency: edit.currency } : {}),
      ...(edit.stock !== undefined ? { stock: edit.stock } : {}),
      ...(edit.categoryId !== undefined ? { categoryId: edit.categoryId } : {}),
      ...(edit.imageMediaIds !== undefined ? { imageMediaIds: edit.imageMediaIds } : {}),
      updatedAt: nextChangeAt(ctx.clock.now(), row.updatedAt),
    });
    await emit(tx, 'product.updated', productChanged(updated), meta);
    return toProduct((await findProductView(tx, productId))!);
  });
}
