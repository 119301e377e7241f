/**
 * Taking a product off sale: its seller or an admin. The row stays (soft delete) so that
 * reservations in flight still resolve against its ledger; every read treats it as gone, and
 * product.deleted tells search, the cart and orders.
 */
import type { Principal } from '@agora/kit/auth/access-token';
import { lockLiveProduct, markDeleted } from '../db/products.repository.ts';
import type { CatalogContext, EventMeta } from './context.ts';
import { mayChange } from './edit-product.ts';
import { notYourProduct, productNotFound } from './errors.ts';
import { emit } from './events.ts';

export async function deleteProduct(ctx: CatalogContext, principal: Principal, productId: string, meta: EventMeta): Promise<void> {
  const at = ctx.clock.now();
  await ctx.database.transaction(async (tx) => {
    const row = await lockLiveProduct(tx, productId);
    if (!row) throw productNotFound();
    if (!mayChange(principal, row.sellerId)) throw notYourProduct();
    await markDeleted(tx, productId, at);
    await emit(tx, 'product.deleted', { productId, sellerId: row.sellerId, deletedAt: at.toISOString() }, meta);
  });
}
