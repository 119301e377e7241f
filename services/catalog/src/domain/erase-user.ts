/**
 * user.deleted: the user's reviews go (the ratings of the products they reviewed are recomputed),
 * the products they sell are deleted (each announced with product.deleted), and their purchase
 * records, author summary and uploads go. Reservations of their orders and of orders of their
 * products still resolve: the saga settles them through the orders' own events. A tombstone
 * keeps events about them that arrive later from bringing anything back.
 */
import type { Tx } from '@agora/kit/db/database';
import { deleteAuthor, recordErased } from '../db/authors.repository.ts';
import { lockUserExclusive } from '../db/locks.repository.ts';
import { deleteMediaOf } from '../db/media.repository.ts';
import { liveProductIdsOfSeller, lockProducts, markDeleted, recomputeRatings } from '../db/products.repository.ts';
import { deletePurchasesOf } from '../db/purchases.repository.ts';
import { deleteReviewsOf, productIdsReviewedBy } from '../db/reviews.repository.ts';
import type { EventMeta } from './context.ts';
import { emit } from './events.ts';

export async function eraseUser(tx: Tx, userId: string, at: Date, meta: EventMeta): Promise<void> {
  // Waits for the writers holding this user's lock to finish; later ones see the tombstone.
  await lockUserExclusive(tx, userId);
  if (!(await recordErased(tx, userId, at))) return;
  await deletePurchasesOf(tx, userId);

  const reviewed = await productIdsReviewedBy(tx, userId);
  const locked = await lockProducts(tx, [...(await liveProductIdsOfSeller(tx, userId)), ...reviewed]);
  // Judged under the locks: a product deleted by its route meanwhile is not announced twice.
  const sold = locked.filter((row) => row.sellerId === userId && row.deletedAt === null).map((row) => row.id);

  await deleteReviewsOf(tx, userId);
  await recomputeRatings(tx, reviewed);
  for (const productId of sold) {
    await markDeleted(tx, productId, at);
    await emit(tx, 'product.deleted', { productId, sellerId: userId, deletedAt: at.toISOString() }, meta);
  }
  await deleteAuthor(tx, userId);
  await deleteMediaOf(tx, userId);
}
