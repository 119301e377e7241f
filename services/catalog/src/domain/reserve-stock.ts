/**
 * Saga step 2 (order.created): reserve every line of the order in one transaction, or nothing.
 * The order's reservation row is locked first, so deliveries for one order run one at a time and
 * a redelivery (or an order.created arriving after its order.cancelled) finds the decision made.
 * Products are locked in id order, so two orders sharing products can't deadlock, and each move
 * is conditional on the units being there: available never goes below zero.
 */
import type { EventData } from '@agora/contracts/events';
import type { Tx } from '@agora/kit/db/database';
import { lockProducts, moveStock } from '../db/products.repository.ts';
import { lockReservation, setReservation } from '../db/reservations.repository.ts';
import type { EventMeta } from './context.ts';
import { emit } from './events.ts';

export type ReservationOutcome = 'reserved' | 'out_of_stock' | 'product_unavailable' | 'already_decided';

/** Units per product: an order may name a product on more than one line. */
export function quantitiesOf(items: { productId: string; quantity: number }[]): Map<string, number> {
  const wanted = new Map<string, number>();
  for (const item of items) wanted.set(item.productId, (wanted.get(item.productId) ?? 0) + item.quantity);
  return wanted;
}

export async function reserveStock(tx: Tx, order: EventData<'order.created'>, at: Date, meta: EventMeta): Promise<ReservationOutcome> {
  const reservation = await lockReservation(tx, order.orderId, order.userId, at);
  if (reservation.state !== 'open') return 'already_decided';

  const wanted = quantitiesOf(order.items);
  const rows = new Map((await lockProducts(tx, [...wanted.keys()])).map((row) => [row.id, row]));
  const productIds = [...wanted.keys()].sort();
  const reject = async (reason: 'out_of_stock' | 'product_unavailable', refused: string[]) => {
    await setReservation(tx, order.orderId, 'rejected', at, []);
    await emit(tx, 'stock.rejected', { orderId: order.orderId, userId: order.userId, reason, productIds: refused, rejectedAt: at.toISOString() }, meta);
    return reason;
  };

  const unavailable = productIds.filter((id) => !rows.get(id) || rows.get(id)!.deletedAt !== null);
  if (unavailable.length > 0) return reject('product_unavailable', unavailable);
  const short = productIds.filter((id) => rows.get(id)!.available < wanted.get(id)!);
  if (short.length > 0) return reject('out_of_stock', short);

  for (const id of productIds) {
    if (!(await moveStock(tx, id, 'available', 'reserved', wanted.get(id)!))) throw new Error(`product ${id} lost stock while locked`);
  }
  await setReservation(tx, order.orderId, 'reserved', at, order.items);
  await emit(
    tx,
    'stock.reserved',
    {
      orderId: order.orderId,
      userId: order.userId,
      totalCents: order.totalCents,
      currency: order.currency,
      paymentMethod: order.paymentMethod,
      reservedAt: at.toISOString(),
    },
    meta,
  );
  return 'reserved';
}
