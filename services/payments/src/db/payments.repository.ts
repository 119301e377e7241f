/** Payments, at most one per order. Every function takes the database or an open transaction. */
import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '@agora/kit/db/database';
import { payments, type PaymentRow } from './schema.ts';

export type NewPayment = Omit<PaymentRow, 'refundedAt' | 'refundReference'>;

export async function findPayment(q: Queryable, id: string): Promise<PaymentRow | null> {
  const [row] = await q.select().from(payments).where(eq(payments.id, id));
  return row ?? null;
}

export async function findPaymentOfOrder(q: Queryable, orderId: string): Promise<PaymentRow | null> {
  const [row] = await q.select().from(payments).where(eq(payments.orderId, orderId));
  return row ?? null;
}

export async function insertPayment(q: Queryable, payment: NewPayment): Promise<void> {
  await q.insert(payments).values(payment);
}

/** Turns a succeeded payment into a refunded one; null when it wasn't succeeded. */
export async function markRefunded(q: Queryable, id: string, at: Date, refundReference: string): Promise<PaymentRow | null> {
  const [row] = await q
    .update(payments)
    .set({ status: 'refunded', refundedAt: at, updatedAt: at, refundReference })
    .where(and(eq(payments.id, id), eq(payments.status, 'succeeded')))
    .returning();
  return row ?? null;
}

/** Where a page of a newest-first list starts: strictly after this (createdAt, id). */
export interface PaymentPosition {
  createdAt: Date;
  id: string;
}

export interface PaymentFilter {
  userId?: string | undefined;
  orderId?: string | undefined;
  before?: PaymentPosition | undefined;
  limit: number;
}

/** Newest first; (created_at, id) breaks ties between payments made in the same millisecond. */
export async function listPayments(q: Queryable, filter: PaymentFilter): Promise<PaymentRow[]> {
  const conditions: SQL[] = [];
  if (filter.userId !== undefined) conditions.push(eq(payments.userId, filter.userId));
  if (filter.orderId !== undefined) conditions.push(eq(payments.orderId, filter.orderId));
  if (filter.before !== undefined) {
    conditions.push(sql`(${payments.createdAt}, ${payments.id}) < (${filter.before.createdAt.toISOString()}::timestamptz, ${filter.before.id}::uuid)`);
  }
  return q
    .select()
    .from(payments)
    .where(and(...conditions))
    .orderBy(desc(payments.createdAt), desc(payments.id))
    .limit(filter.limit);
}
