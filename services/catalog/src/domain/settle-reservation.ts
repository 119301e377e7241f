/**
 * Saga step 5: an order's end settles its reservation. order.confirmed commits it (reserved units
 * become sold, and the buyer becomes a verified purchaser of each product); order.cancelled
 * releases it (reserved units, or sold ones of a confirmed order, go back to available; the
 * purchases go) and announces stock.released. States: reserved -> committed | released,
 * committed -> released; rejected and released are final, so any redelivery or late event
 * changes nothing. A cancellation that arrives first records the order as released, so its late
 * order.created reserves nothing.
 */
import type { EventData } from '@agora/contracts/events';
import type { Tx } from '@agora/kit/db/database';
import { isErased } from '../db/authors.repository.ts';
import { lockUserShared } from '../db/locks.repository.ts';
import { lockProducts, moveStock, type StockBucket } from '../db/products.repository.ts';
import { deletePurchasesOfOrder, recordPurchases } from '../db/purchases.repository.ts';
import { lockReservation, setReservation, type ReservedLine } from '../db/reservations.repository.ts';
import type { EventMeta } from './context.ts';
import { emit } from './events.ts';
import { quantitiesOf } from './reserve-stock.ts';

export type SettlementOutcome = 'committed' | 'released' | 'restocked' | 'recorded_released' | 'unchanged';

/** A confirmation for an order this service never reserved can't be applied yet; the kit retries it. */
export class NotReservedYet extends Error {
  constructor(orderId: string) {
    super(`order ${orderId} was confirmed before its order.created was handled here; retrying`);
    this.name = 'NotReservedYet';
  }
}

async function move(tx: Tx, items: ReservedLine[], from: StockBucket, to: StockBucket): Promise<void> {
  const wanted = quantitiesOf(items);
  const productIds = [...wanted.keys()].sort();
  await lockProducts(tx, productIds);
  for (const id of productIds) {
    if (!(await moveStock(tx, id, from, to, wanted.get(id)!))) throw new Error(`product ${id} holds fewer ${from} units than order lines say`);
  }
}

export async function commitReservation(tx: Tx, order: EventData<'order.confirmed'>, at: Date): Promise<SettlementOutcome> {
  // Lock order shared with reviews and erasure: the buyer, the order, (purchases,) then products.
  await lockUserShared(tx, order.userId);
  const reservation = await lockReservation(tx, order.orderId, order.userId, at);
  switch (reservation.state) {
    case 'open':
      // Only our own stock.reserved leads to a confirmation, so this is a delivery that overtook
      // its cause: failing rolls the `open` row back and the kit delivers it again later.
      throw new NotReservedYet(order.orderId);
    case 'reserved':
      await move(tx, reservation.items, 'reserved', 'sold');
      if (!(await isErased(tx, order.userId))) await recordPurchases(tx, order.orderId, order.userId, reservation.items.map((item) => item.productId));
      await setReservation(tx, order.orderId, 'committed', at);
      return 'committed';
    default:
      return 'unchanged';
  }
}

export async function releaseReservation(tx: Tx, order: EventData<'order.cancelled'>, at: Date, meta: EventMeta): Promise<SettlementOutcome> {
  await lockUserShared(tx, order.userId);
  const reservation = await lockReservation(tx, order.orderId, order.userId, at);
  const released = () =>
    emit(tx, 'stock.released', { orderId: order.orderId, userId: order.userId, items: reservation.items, releasedAt: at.toISOString() }, meta);
  switch (reservation.state) {
    case 'open':
      await setReservation(tx, order.orderId, 'released', at, []);
      return 'recorded_released';
    case 'reserved':
      await move(tx, reservation.items, 'reserved', 'available');
      await setReservation(tx, order.orderId, 'released', at);
      await released();
      return 'released';
    case 'committed':
      await deletePurchasesOfOrder(tx, order.orderId);
      await move(tx, reservation.items, 'sold', 'available');
      await setReservation(tx, order.orderId, 'released', at);
      await released();
      return 'restocked';
    default:
      return 'unchanged';
  }
}
