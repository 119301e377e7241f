/**
 * Orders as rows. Transitions read the order FOR UPDATE first, so two deliveries (or a delivery
 * and the buyer's cancel, or the sweeper) deciding about one order take turns.
 * Every function takes the database or an open transaction.
 */
import { and, asc, desc, eq, lt, sql, type SQL } from 'drizzle-orm';
import type { Queryable, Tx } from '@agora/kit/db/database';
import { placeholders, preparedStatement } from '@agora/kit/db/prepared-statement';
import { orders } from './schema.ts';

export type OrderRow = typeof orders.$inferSelect;
export type NewOrderRow = Omit<typeof orders.$inferInsert, 'seq'>;

// The statements of every checkout, built once per connection (the kit's preparedStatement).
const NEW_ORDER_COLUMNS = ['id', 'userId', 'status', 'items', 'totalCents', 'currency', 'paymentMethod', 'shippingAddress', 'fromCart', 'createdAt', 'updatedAt'] as const;
const insertOrderStatement = preparedStatement('orders_insert_order', (q) => q.insert(orders).values(placeholders(...NEW_ORDER_COLUMNS)).returning());
const lockOrderStatement = preparedStatement('orders_lock_order', (q) => q.select().from(orders).where(eq(orders.id, sql.placeholder('orderId'))).for('update'));

/** A new order: pending, neither confirmed nor cancelled yet. */
export type PlacedOrderRow = Pick<NewOrderRow, (typeof NEW_ORDER_COLUMNS)[number]>;

export async function insertOrder(tx: Tx, order: PlacedOrderRow): Promise<OrderRow> {
  const [row] = await insertOrderStatement(tx, order);
  return row!;
}

export async function findOrder(q: Queryable, orderId: string): Promise<OrderRow | null> {
  const [row] = await q.select().from(orders).where(eq(orders.id, orderId));
  return row ?? null;
}

/** Reads the order and holds it until the transaction ends. */
export async function lockOrder(tx: Tx, orderId: string): Promise<OrderRow | null> {
  const [row] = await lockOrderStatement(tx, { orderId });
  return row ?? null;
}

export async function updateOrder(tx: Tx, orderId: string, changes: Partial<Pick<OrderRow, 'status' | 'cancelReason' | 'updatedAt' | 'confirmedAt' | 'cancelledAt'>>): Promise<OrderRow> {
  const [row] = await tx.update(orders).set(changes).where(eq(orders.id, orderId)).returning();
  return row!;
}

/** Newest first; `userId` narrows to one buyer, `beforeSeq` continues after a page. */
export async function listOrders(q: Queryable, options: { userId?: string | undefined; beforeSeq?: number | undefined; limit: number }): Promise<OrderRow[]> {
  const conditions: SQL[] = [];
  if (options.userId !== undefined) conditions.push(eq(orders.userId, options.userId));
  if (options.beforeSeq !== undefined) conditions.push(lt(orders.seq, options.beforeSeq));
  return q
    .select()
    .from(orders)
    .where(and(...conditions))
    .orderBy(desc(orders.seq))
    .limit(options.limit);
}

/**
 * Locks up to `limit` pending orders created before `createdBefore`, oldest first. Rows another
 * transaction holds (a sweeper elsewhere, a delivery deciding about that order) are skipped:
 * whoever holds one decides about it, and a still-pending one comes up again next round.
 */
export async function lockOverduePending(tx: Tx, createdBefore: Date, limit: number): Promise<OrderRow[]> {
  return tx
    .select()
    .from(orders)
    .where(and(eq(orders.status, 'pending'), lt(orders.createdAt, createdBefore)))
    .orderBy(asc(orders.createdAt))
    .limit(limit)
    .for('update', { skipLocked: true });
}
