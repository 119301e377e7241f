/** Drizzle definitions of the tables created by ./migrations (kept in step with the SQL by hand). */
import { sql } from 'drizzle-orm';
import { bigint, boolean, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { CancelReason, PaymentMethod } from '@agora/contracts/events';

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const cents = (name: string) => bigint(name, { mode: 'number' });

export type OrderStatus = 'pending' | 'confirmed' | 'cancelled';

export interface OrderItem {
  productId: string;
  name: string;
  unitPriceCents: number;
  quantity: number;
}

export interface ShippingAddress {
  name: string;
  line1: string;
  line2?: string;
  city: string;
  postalCode: string;
  country: string;
}

export const products = pgTable('products', {
  id: uuid('id').primaryKey(),
  name: text('name'),
  priceCents: cents('price_cents'),
  currency: text('currency'),
  updatedAt: at('updated_at'),
  deletedAt: at('deleted_at'),
});

export const orders = pgTable('orders', {
  id: uuid('id').primaryKey(),
  seq: bigint('seq', { mode: 'number' }).notNull().default(sql`nextval('order_seq')`),
  userId: uuid('user_id').notNull(),
  status: text('status').$type<OrderStatus>().notNull(),
  cancelReason: text('cancel_reason').$type<CancelReason>(),
  items: jsonb('items').$type<OrderItem[]>().notNull(),
  totalCents: cents('total_cents').notNull(),
  currency: text('currency').notNull(),
  paymentMethod: text('payment_method').$type<PaymentMethod>().notNull(),
  shippingAddress: jsonb('shipping_address').$type<ShippingAddress>().notNull(),
  fromCart: boolean('from_cart').notNull(),
  createdAt: at('created_at').notNull(),
  updatedAt: at('updated_at').notNull(),
  confirmedAt: at('confirmed_at'),
  cancelledAt: at('cancelled_at'),
});

export type IdempotencyState = 'in_flight' | 'completed';

export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    userId: uuid('user_id').notNull(),
    key: text('key').notNull(),
    fingerprint: text('fingerprint').notNull(),
    state: text('state').$type<IdempotencyState>().notNull(),
    claimId: uuid('claim_id').notNull(),
    claimedAt: at('claimed_at').notNull(),
    expiresAt: at('expires_at').notNull(),
    responseStatus: integer('response_status'),
    responseBody: jsonb('response_body'),
  },
  (table) => [primaryKey({ columns: [table.userId, table.key] })],
);
