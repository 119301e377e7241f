/**
 * Saga timeouts (saga step 8): a pending order older than ORDER_PENDING_TIMEOUT_MS is cancelled
 * as timed_out, an ordinary order.cancelled, so catalog releases what it holds and payments
 * refunds (or never charges). Small batches locked FOR UPDATE SKIP LOCKED let several instances
 * sweep at once, each taking different orders, and never wait on an order a delivery is
 * deciding about.
 */
import { lockOverduePending } from '../db/orders.repository.ts';
import type { OrdersContext } from './context.ts';
import { cancelOrder } from './order-transitions.ts';

const BATCH = 20;

/** Cancels every overdue pending order; returns how many. */
export async function cancelOverdueOrders(ctx: OrdersContext): Promise<number> {
  let cancelled = 0;
  for (;;) {
    const batch = await ctx.database.transaction(async (tx) => {
      const now = ctx.clock.now();
      const overdue = await lockOverduePending(tx, new Date(now.getTime() - ctx.config.ORDER_PENDING_TIMEOUT_MS), BATCH);
      for (const order of overdue) await cancelOrder(tx, order, 'timed_out', now, {});
      return overdue.length;
    });
    cancelled += batch;
    if (batch < BATCH) return cancelled;
  }
}
