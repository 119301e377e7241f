/**
 * Products, as the catalog announces them. product.created and product.updated both carry the
 * whole product: the one with the latest updatedAt wins, whatever the order of arrival. A
 * deletion leaves a tombstone (a late created/updated never brings the product back) and drops
 * the product's lines from every cart.
 */
import type { EventData } from '@agora/contracts/events';
import type { Tx } from '@agora/kit/db/database';
import { deleteLinesOfProduct } from '../db/lines.repository.ts';
import { recordDeleted, recordVersion } from '../db/products.repository.ts';

export async function saveProduct(tx: Tx, product: EventData<'product.created' | 'product.updated'>): Promise<void> {
  await recordVersion(tx, {
    id: product.productId,
    name: product.name,
    priceCents: product.priceCents,
    currency: product.currency,
    updatedAt: new Date(product.updatedAt),
  });
}

export async function deleteProduct(tx: Tx, deletion: EventData<'product.deleted'>): Promise<void> {
  // Tombstone first: its row lock waits for cart writes holding the product, and writes after it see it deleted.
  await recordDeleted(tx, deletion.productId, new Date(deletion.deletedAt));
  await deleteLinesOfProduct(tx, deletion.productId);
}
