/** Drizzle definitions of the tables created by ./migrations (kept in step with the SQL by hand). */
import { bigint, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export type PaymentStatus = 'succeeded' | 'failed' | 'refunded';

export const paymentOrders = pgTable('payment_orders', {
  orderId: uuid('order_id').primaryKey(),
  firstSeenAt: at('first_seen_at').notNull(),
  cancelledAt: at('cancelled_at'),
  cancelReason: text('cancel_reason'),
});

export const payments = pgTable('payments', {
  id: uuid('id').primaryKey(),
  orderId: uuid('order_id').notNull().unique(),
  userId: uuid('user_id').notNull(),
  amountCents: bigint('amount_cents', { mode: 'number' }).notNull(),
  currency: text('currency').notNull(),
  paymentMethod: text('payment_method').notNull(),
  status: text('status').$type<PaymentStatus>().notNull(),
  failureReason: text('failure_reason').$type<'card_declined'>(),
  processorReference: text('processor_reference'),
  refundReference: text('refund_reference'),
  createdAt: at('created_at').notNull(),
  updatedAt: at('updated_at').notNull(),
  refundedAt: at('refunded_at'),
});

export type PaymentRow = typeof payments.$inferSelect;
