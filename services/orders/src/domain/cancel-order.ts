/**
 * The buyer's cancel (saga step 9): a pending or confirmed order is cancelled as
 * cancelled_by_user, and order.cancelled makes catalog restock and payments refund. Locking the
 * row first orders it against the saga's verdicts: a payment.succeeded that arrives after it
 * finds the order cancelled, and payments refunds the charge.
 */
import type { Principal } from '@agora/kit/auth/access-token';
import { lockOrder } from '../db/orders.repository.ts';
import { mayAccess } from './access.ts';
import type { EventMeta, OrdersContext } from './context.ts';
import { notCancellable, orderNotFound } from './errors.ts';
import { toOrder, type Order } from './order.ts';
import { cancelOrder } from './order-transitions.ts';

export async function cancelByUser(ctx: OrdersContext, principal: Principal, orderId: string, meta: EventMeta): Promise<Order> {
  return ctx.database.transaction(async (tx) => {
    const order = await lockOrder(tx, orderId);
    if (!order || !mayAccess(principal, order)) throw orderNotFound();
    if (order.status === 'cancelled') throw notCancellable();
    return toOrder(await cancelOrder(tx, order, 'cancelled_by_user', ctx.clock.now(), meta));
  });
}
