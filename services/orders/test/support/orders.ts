/**
 * The orders service as its tests see it: built in-process by the kit's harness, with catalog
 * and payments appearing as the events they would publish, and cart as a tiny HTTP server on
 * 127.0.0.1 (./cart-stub.ts). Besides HTTP, tests read two kit tables of the service's own
 * database: processed_events, to know an event they published has been handled (so a check
 * that something did NOT happen is not a guess), and the outbox, where every event the service
 * decided to publish is written exactly once.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { asc, eq } from 'drizzle-orm';
import type { EventData } from '@agora/contracts/events';
import { outbox } from '@agora/kit/bus/outbox.tables';
import type { EventEnvelope } from '@agora/kit/bus/types';
import type { Clock } from '@agora/kit/clock';
import { startServiceUnderTest, type GivenUser, type ServiceUnderTest } from '@agora/kit/testing/service-harness';
import type { OrdersConfig } from '../../src/config.ts';
import { ordersModule } from '../../src/module.ts';

export const API = '/api/v1';

export type OrderEventType = 'order.created' | 'order.confirmed' | 'order.cancelled';
export const ORDER_EVENTS: OrderEventType[] = ['order.created', 'order.confirmed', 'order.cancelled'];

export const address = { name: 'Ada Lovelace', line1: '12 St James’s Square', city: 'London', postalCode: 'SW1Y 4JH', country: 'GB' };

export interface TestProduct {
  id: string;
  sellerId: string;
  name: string;
  priceCents: number;
  currency: string;
}

export interface OrderBody {
  shippingAddress?: unknown;
  paymentMethod?: unknown;
  items?: unknown;
  [other: string]: unknown;
}

export interface TestOrders extends ServiceUnderTest<OrdersConfig> {
  /** The events of `type` the service wrote to its outbox whose data has the given fields, oldest first. */
  published<T extends OrderEventType>(type: T, fields?: Partial<EventData<T>>): Promise<EventEnvelope<EventData<T>>[]>;
  /** A product as catalog announces it (product.created), handled before this resolves. */
  product(options?: Partial<Omit<TestProduct, 'id' | 'sellerId'>>): Promise<TestProduct>;
  /** POST /orders with a fresh Idempotency-Key unless one is given. */
  place(user: { accessToken: string }, body: OrderBody, options?: { key?: string | null; headers?: Record<string, string> }): Promise<LightMyRequestResponse>;
  /** Places an order of `lines` and returns it, asserting 201. */
  order(user: GivenUser, lines: { product: TestProduct; quantity?: number }[], paymentMethod?: 'pm_card_ok' | 'pm_card_declined'): Promise<OrderJson>;
  /** GET /orders/:id as `user`, asserting 200. */
  read(user: { accessToken: string }, orderId: string): Promise<OrderJson>;
}

export interface OrderJson {
  id: string;
  userId: string;
  status: 'pending' | 'confirmed' | 'cancelled';
  cancelReason?: string;
  items: { productId: string; name: string; unitPriceCents: number; quantity: number }[];
  totalCents: number;
  currency: string;
  paymentMethod: string;
  shippingAddress: Record<string, string>;
  createdAt: string;
  updatedAt: string;
}

/** Nothing listens there: a cart that is down. */
export const UNREACHABLE_CART = 'http://127.0.0.1:9';

export async function startOrders(options: { clock?: Clock; env?: Record<string, string> } = {}): Promise<TestOrders> {
  const svc = await startServiceUnderTest(ordersModule, {
    watch: ORDER_EVENTS,
    ...(options.clock ? { clock: options.clock } : {}),
    env: { CART_URL: UNREACHABLE_CART, CART_TIMEOUT_MS: '500', ...options.env },
  });
  const db = svc.database.db;

  const { deliver } = svc;

  const place: TestOrders['place'] = (user, body, placeOptions = {}) => {
    const key = placeOptions.key === undefined ? randomUUID() : placeOptions.key;
    return svc.request('POST', `${API}/orders`, {
      token: user.accessToken,
      body,
      headers: { ...(key === null ? {} : { 'idempotency-key': key }), ...placeOptions.headers },
    });
  };

  const orders: TestOrders = Object.assign(svc, {
    async published<T extends OrderEventType>(type: T, fields: Partial<EventData<T>> = {}) {
      const rows = await db.select({ envelope: outbox.envelope }).from(outbox).where(eq(outbox.type, type)).orderBy(asc(outbox.createdAt), asc(outbox.id));
      return rows
        .map((row) => row.envelope as EventEnvelope<EventData<T>>)
        .filter((envelope) => Object.entries(fields).every(([key, value]) => (envelope.data as Record<string, unknown>)[key] === value));
    },
    async product(productOptions: Partial<Omit<TestProduct, 'id' | 'sellerId'>> = {}) {
      const product: TestProduct = {
        id: randomUUID(),
        sellerId: randomUUID(),
        name: productOptions.name ?? `Teapot ${randomUUID().slice(0, 6)}`,
        priceCents: productOptions.priceCents ?? 1_250,
        currency: productOptions.currency ?? 'USD',
      };
      await deliver(
        'product.created',
        {
          productId: product.id,
          sellerId: product.sellerId,
          name: product.name,
          description: 'A fine product',
          priceCents: product.priceCents,
          currency: product.currency,
          categoryId: null,
          updatedAt: new Date().toISOString(),
        },
        'catalog',
      );
      return product;
    },
    place,
    async order(user: GivenUser, lines: { product: TestProduct; quantity?: number }[], paymentMethod: 'pm_card_ok' | 'pm_card_declined' = 'pm_card_ok') {
      const response = await place(user, {
        shippingAddress: address,
        paymentMethod,
        items: lines.map((line) => ({ productId: line.product.id, quantity: line.quantity ?? 1 })),
      });
      assert.equal(response.statusCode, 201, response.body);
      return response.json<OrderJson>();
    },
    async read(user: { accessToken: string }, orderId: string) {
      const response = await svc.request('GET', `${API}/orders/${orderId}`, { token: user.accessToken });
      assert.equal(response.statusCode, 200, response.body);
      return response.json<OrderJson>();
    },
  });
  return orders;
}

/** The saga's other participants, as the events they publish about `order`. */
export function sagaEvents(order: { id: string; userId: string; totalCents: number; currency: string }, at = new Date()) {
  const base = { orderId: order.id, userId: order.userId };
  const payment = { ...base, paymentId: randomUUID(), amountCents: order.totalCents, currency: order.currency };
  return {
    stockReserved: { ...base, totalCents: order.totalCents, currency: order.currency, paymentMethod: 'pm_card_ok' as const, reservedAt: at.toISOString() },
    stockRejected: { ...base, reason: 'out_of_stock' as const, productIds: [randomUUID()], rejectedAt: at.toISOString() },
    paymentSucceeded: { ...payment, succeededAt: at.toISOString() },
    paymentFailed: { ...payment, reason: 'card_declined' as const, failedAt: at.toISOString() },
  };
}
