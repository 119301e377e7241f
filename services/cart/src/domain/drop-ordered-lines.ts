/**
 * order.confirmed from the cart: the buyer paid for what the cart held when the order was placed,
 * so the lines of the ordered products go, unless the buyer changed them after placing the order
 * (they want that line again or differently; it stays). Redelivered or late, the outcome is the
 * same: the rule depends only on the order's createdAt and each line's last change.
 */
import type { EventData } from '@agora/contracts/events';
import type { Tx } from '@agora/kit/db/database';
import { deleteLinesUnchangedSince } from '../db/lines.repository.ts';

export async function dropOrderedLines(tx: Tx, order: EventData<'order.confirmed'>): Promise<number> {
  if (!order.fromCart) return 0;
  const productIds = [...new Set(order.items.map((item) => item.productId))];
  return deleteLinesUnchangedSince(tx, order.userId, productIds, new Date(order.createdAt));
}
