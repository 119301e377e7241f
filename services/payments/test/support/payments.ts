/**
 * The payments service as its tests see it: built in-process by the kit's harness, with catalog
 * and orders appearing as the events they would publish. The card processor is the simulated
 * one, wrapped so tests can count what it was asked to do (a charge the database later rolled
 * back is still a charge). Besides HTTP, tests read the service's own tables: processed_events,
 * to know an event they published has been handled (so "nothing happened" is not a guess), the
 * outbox, where every event the service decided to publish is written exactly once, and payments.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import type { EventData, PaymentMethod } from '@agora/contracts/events';
import { outbox } from '@agora/kit/bus/outbox.tables';
import type { EventEnvelope } from '@agora/kit/bus/types';
import type { Clock } from '@agora/kit/clock';
import type { ServiceDeps } from '@agora/kit/service';
import { startServiceUnderTest, type ServiceUnderTest } from '@agora/kit/testing/service-harness';
import { buildApp } from '../../src/app.ts';
import type { PaymentsConfig } from '../../src/config.ts';
import { payments, type PaymentRow } from '../../src/db/schema.ts';
import type { CardProcessor, ChargeRequest, RefundRequest } from '../../src/domain/card-processor.ts';
import { paymentsModule } from '../../src/module.ts';
import { simulatedCardProcessor } from '../../src/processor/simulated-card-processor.ts';

export const API = '/api/v1';

export type PaymentEventType = 'payment.succeeded' | 'payment.failed' | 'payment.refunded';
export const PAYMENT_EVENTS: PaymentEventType[] = ['payment.succeeded', 'payment.failed', 'payment.refunded'];

/** The simulated processor, with a record of every call made to it. */
export interface RecordingProcessor extends CardProcessor {
  charges: ChargeRequest[];
  refunds: RefundRequest[];
}

function recordingProcessor(inner: CardProcessor): RecordingProcessor {
  const charges: ChargeRequest[] = [];
  const refunds: RefundRequest[] = [];
  return {
    charges,
    refunds,
    async charge(request) {
      charges.push(request);
      return inner.charge(request);
    },
    async refund(request) {
      refunds.push(request);
      return inner.refund(request);
    },
  };
}

export interface PaymentBody {
  id: string;
  orderId: string;
  userId: string;
  amountCents: number;
  currency: string;
  status: 'succeeded' | 'failed' | 'refunded';
  failureReason?: 'card_declined';
  createdAt: string;
  updatedAt: string;
  refundedAt?: string;
}

export interface TestPayments extends ServiceUnderTest<PaymentsConfig> {
  processor: RecordingProcessor;
  /** The events of `type` in the outbox for this order, oldest first. */
  published<T extends PaymentEventType>(type: T, orderId: string): Promise<EventEnvelope<EventData<T>>[]>;
  /** The payment rows of an order (at most one, if the service is right). */
  paymentsOf(orderId: string): Promise<PaymentRow[]>;
  /** What catalog would publish once an order's stock is held. */
  reservation(options?: { orderId?: string; userId?: string; totalCents?: number; currency?: string; paymentMethod?: PaymentMethod }): EventData<'stock.reserved'>;
  /** What orders would publish when an order is cancelled. */
  cancellation(orderId: string, userId: string, reason?: EventData<'order.cancelled'>['reason']): EventData<'order.cancelled'>;
  /** An order paid by `userId` through the saga (stock.reserved delivered), returned as its payment. */
  paidOrder(userId: string, options?: { paymentMethod?: PaymentMethod; totalCents?: number; currency?: string }): Promise<PaymentRow>;
  /**
   * Waits until deliveries published before it have been handled too: a later event through the
   * same queue (dispatch is first in, first out), for redeliveries, which leave no trace of their own.
   */
  settle(): Promise<void>;
  /** The events of a type the harness saw this order's payment publish on the bus. */
  onBus(type: PaymentEventType, orderId: string): number;
}

export async function startPayments(options: { clock?: Clock } = {}): Promise<TestPayments> {
  const processor = recordingProcessor(simulatedCardProcessor());
  const module = { ...paymentsModule, buildApp: (deps: ServiceDeps<PaymentsConfig>) => buildApp(deps, { processor }) };
  const svc = await startServiceUnderTest(module, { watch: PAYMENT_EVENTS, ...options });
  const db = svc.database.db;

  const { deliver } = svc;

  const reservation: TestPayments['reservation'] = (reservationOptions = {}) => ({
    orderId: reservationOptions.orderId ?? randomUUID(),
    userId: reservationOptions.userId ?? randomUUID(),
    totalCents: reservationOptions.totalCents ?? 4_200,
    currency: reservationOptions.currency ?? 'USD',
    paymentMethod: reservationOptions.paymentMethod ?? 'pm_card_ok',
    reservedAt: new Date().toISOString(),
  });

  const paymentsOf = async (orderId: string) => db.select().from(payments).where(eq(payments.orderId, orderId));

  return Object.assign(svc, {
    processor,
    reservation,
    paymentsOf,
    async published<T extends PaymentEventType>(type: T, orderId: string) {
      const rows = await db.select({ envelope: outbox.envelope }).from(outbox).where(eq(outbox.type, type)).orderBy(asc(outbox.createdAt), asc(outbox.id));
      return rows.map((row) => row.envelope as EventEnvelope<EventData<T>>).filter((envelope) => envelope.data.orderId === orderId);
    },
    cancellation(orderId: string, userId: string, reason: EventData<'order.cancelled'>['reason'] = 'cancelled_by_user') {
      return { orderId, userId, items: [{ productId: randomUUID(), quantity: 1, unitPriceCents: 4_200 }], reason, cancelledAt: new Date().toISOString() };
    },
    async paidOrder(userId: string, paidOptions: { paymentMethod?: PaymentMethod; totalCents?: number; currency?: string } = {}) {
      const data = reservation({ userId, ...paidOptions });
      await deliver('stock.reserved', data, 'catalog');
      const [row] = await paymentsOf(data.orderId);
      assert.ok(row, `no payment for order ${data.orderId}`);
      return row;
    },
    async settle() {
      const orderId = randomUUID();
      await deliver('order.cancelled', { orderId, userId: randomUUID(), items: [{ productId: randomUUID(), quantity: 1, unitPriceCents: 1 }], reason: 'timed_out', cancelledAt: new Date().toISOString() }, 'orders');
    },
    onBus(type: PaymentEventType, orderId: string) {
      return svc.events.count(type, (data: { orderId: string }) => data.orderId === orderId);
    },
  });
}
