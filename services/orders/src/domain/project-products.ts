/**
 * Products as catalog announces them: the names and prices an order is made at. Delivery is at
 * least once and unordered: product.created and product.updated carry the whole product and
 * the newest `updatedAt` wins; product.deleted leaves a tombstone that no late creation or
 * update brings back.
 */
import type { EventData } from '@agora/contracts/events';
import type { Tx } from '@agora/kit/db/database';
import { recordProductDeleted, recordProductState } from '../db/products.repository.ts';

export async function trackProduct(tx: Tx, product: EventData<'product.created'>): Promise<void> {
  await recordProductState(tx, {
    id: product.productId,
    name: product.name,
    priceCents: product.priceCents,
    // Orders carry upper-case ISO 4217 codes (the saga's contract); catalog's are compared as such.
    currency: product.currency.toUpperCase(),
    updatedAt: new Date(product.updatedAt),
  });
}

export async function forgetProduct(tx: Tx, product: EventData<'product.deleted'>): Promise<void> {
  await recordProductDeleted(tx, product.productId, new Date(product.deletedAt));
}
