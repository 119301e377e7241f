/** Reading orders: one by id, and the buyer's list (an admin's: everyone's, or one user's), newest first. */
import type { Principal } from '@agora/kit/auth/access-token';
import { decodeCursor, pageOf } from '@agora/kit/pagination';
import { findOrder, listOrders as selectOrders } from '../db/orders.repository.ts';
import { isAdmin, mayAccess } from './access.ts';
import type { OrdersContext } from './context.ts';
import { listOfOthersForbidden, orderNotFound } from './errors.ts';
import { toOrder, type Order } from './order.ts';

/** Someone else's order is 404 like an unknown one: its existence is private too. */
export async function getOrder(ctx: OrdersContext, principal: Principal, orderId: string): Promise<Order> {
  const order = await findOrder(ctx.database.db, orderId);
  if (!order || !mayAccess(principal, order)) throw orderNotFound();
  return toOrder(order);
}

/** Cursors wrap the last order's sequence number: plain digits, so any other text was never given out. */
const parseSeq = (position: string): number | undefined => (/^\d{1,15}$/.test(position) ? Number(position) : undefined);

export async function listOrders(
  ctx: OrdersContext,
  principal: Principal,
  query: { limit: number; cursor?: string | undefined; userId?: string | undefined },
): Promise<{ items: Order[]; nextCursor: string | null }> {
  const beforeSeq = query.cursor === undefined ? undefined : decodeCursor(query.cursor, parseSeq);
  let userId: string | undefined = principal.userId;
  if (isAdmin(principal)) userId = query.userId;
  else if (query.userId !== undefined && query.userId !== principal.userId) throw listOfOthersForbidden();
  const rows = await selectOrders(ctx.database.db, { userId, beforeSeq, limit: query.limit + 1 });
  const { page, nextCursor } = pageOf(rows, query.limit, (row) => row.seq);
  return { items: page.map(toOrder), nextCursor };
}
