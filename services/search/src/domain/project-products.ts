/**
 * Products, as the catalog announces them. product.created and product.updated both carry the
 * whole product: the one with the latest updatedAt wins, whatever the order of arrival. A
 * deletion (of the product, or of its seller's account) leaves it deleted for good.
 */
import type { EventData } from '@agora/contracts/events';
import type { Tx } from '@agora/kit/db/database';
import { recordDeleted, recordVersion } from '../db/products.repository.ts';
import { isErased, lockOwner } from '../db/users.repository.ts';

export async function saveProduct(tx: Tx, product: EventData<'product.created' | 'product.updated'>): Promise<boolean> {
  // Serializes with the seller's erasure, which takes their products with it.
  await lockOwner(tx, product.sellerId);
  if (await isErased(tx, product.sellerId)) return false;
  await recordVersion(tx, {
    id: product.productId,
    sellerId: product.sellerId,
    name: product.name,
    description: product.description,
    priceCents: product.priceCents,
    currency: product.currency,
    categoryId: product.categoryId,
    updatedAt: new Date(product.updatedAt),
  });
  return true;
}

export async function deleteProduct(tx: Tx, deletion: EventData<'product.deleted'>): Promise<void> {
  await recordDeleted(tx, { id: deletion.productId, sellerId: deletion.sellerId, deletedAt: new Date(deletion.deletedAt) });
}
