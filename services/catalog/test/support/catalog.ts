/**
 * The catalog service as its tests see it: built in-process by the kit's harness, with accounts,
 * profiles, uploads and orders appearing as the events their services would publish. Besides
 * HTTP, tests read tables of the service's own database: processed_events, to know an event they
 * published has been handled (so a check that something did NOT happen is not a guess), the
 * outbox, where every event the service decided to publish is written exactly once, and the stock
 * ledger of a product, which the API shows only in part (`stock` is the available units).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import type { EventData, EventType } from '@agora/contracts/events';
import type { Role } from '@agora/kit/auth/access-token';
import { outbox, processedEvents } from '@agora/kit/bus/outbox.tables';
import type { EventEnvelope } from '@agora/kit/bus/types';
import type { Clock } from '@agora/kit/clock';
import { eventually, startServiceUnderTest, type GivenUser, type ServiceUnderTest } from '@agora/kit/testing/service-harness';
import type { CatalogConfig } from '../../src/config.ts';
import { authors, products, reservations, type ReservationState } from '../../src/db/schema.ts';
import { catalogModule } from '../../src/module.ts';

export const API = '/api/v1';

export type CatalogEventType = 'product.created' | 'product.updated' | 'product.deleted' | 'stock.reserved' | 'stock.rejected' | 'stock.released';
export const CATALOG_EVENTS: CatalogEventType[] = ['product.created', 'product.updated', 'product.deleted', 'stock.reserved', 'stock.rejected', 'stock.released'];

export interface ProductBody {
  id: string;
  sellerId: string;
  name: string;
  description: string;
  priceCents: number;
  currency: string;
  stock: number;
  category: { id: string; name: string } | null;
  imageUrls: string[];
  rating: { average: number; count: number };
  createdAt: string;
  updatedAt: string;
}

export interface Ledger {
  available: number;
  reserved: number;
  sold: number;
  stocked: number;
}

export interface OrderLine {
  productId: string;
  quantity: number;
  unitPriceCents?: number;
}

export interface TestCatalog extends ServiceUnderTest<CatalogConfig> {
  /** Publishes an event as its producer would and waits until the service has handled it. */
  deliver<T extends EventType>(type: T, data: EventData<T>, producer?: string): Promise<EventEnvelope<EventData<T>>>;
  /**
   * Delivers an event again twice over: the same envelope (the kit skips it by its id) and a new
   * envelope with the same data (which the handler runs, so its per-order idempotence is what is
   * tested), waiting until the second was handled.
   */
  deliverAgain(envelope: EventEnvelope<any>): Promise<void>;
  /** Waits until the service has handled `envelope` (a delivery published earlier). */
  handled(envelope: EventEnvelope<unknown>, timeoutMs?: number): Promise<void>;
  /** The events of `type` the service wrote to its outbox whose data has the given fields, oldest first. */
  published<T extends CatalogEventType>(type: T, fields?: Partial<EventData<T>>): Promise<EventEnvelope<EventData<T>>[]>;
  /** A user the catalog knows already (user.registered and profile.updated applied). */
  known(roles?: Role[], options?: { displayName?: string }): Promise<GivenUser>;
  seller(): Promise<GivenUser>;
  admin(): Promise<GivenUser>;
  /** A product put on sale through the API by `seller`. */
  product(seller: GivenUser, body?: Record<string, unknown>): Promise<ProductBody>;
  category(name?: string): Promise<{ id: string; name: string }>;
  /** An upload of `ownerId`'s as media announces it. */
  upload(ownerId: string): Promise<{ mediaId: string; url: string }>;
  ledger(productId: string): Promise<Ledger>;
  reservationState(orderId: string): Promise<ReservationState | null>;
  /** order.created data for the lines (prices default to 100), USD, card ok. */
  order(userId: string, lines: OrderLine[], orderId?: string): EventData<'order.created'>;
  confirmed(order: EventData<'order.created'>): EventData<'order.confirmed'>;
  cancelled(order: EventData<'order.created'>, reason?: EventData<'order.cancelled'>['reason']): EventData<'order.cancelled'>;
  /** A buyer whose order of the product is confirmed: they may review it. */
  buyerOf(productId: string): Promise<GivenUser>;
}

export async function startCatalog(options: { clock?: Clock } = {}): Promise<TestCatalog> {
  const svc = await startServiceUnderTest(catalogModule, { watch: CATALOG_EVENTS, ...options });
  const db = svc.database.db;
  let admin: GivenUser | undefined;

  const handled = async (envelope: EventEnvelope<unknown>, timeoutMs = 5_000) => {
    await eventually(async () => {
      const rows = await db
        .select({ eventId: processedEvents.eventId })
        .from(processedEvents)
        .where(and(eq(processedEvents.consumer, 'catalog'), eq(processedEvents.eventId, envelope.id)));
      assert.equal(rows.length, 1, `${envelope.type} ${envelope.id} not handled yet`);
    }, timeoutMs);
  };

  const deliver: TestCatalog['deliver'] = async (type, data, producer = 'test') => {
    const envelope = await svc.publish(type, data, producer);
    await handled(envelope);
    return envelope;
  };

  const known = async (roles: Role[] = ['user'], userOptions: { displayName?: string } = {}) => {
    const user = await svc.given.user({ roles, ...userOptions });
    await eventually(async () => {
      const [row] = await db.select({ displayName: authors.displayName }).from(authors).where(eq(authors.id, user.id));
      assert.equal(row?.displayName, user.displayName);
    });
    return user;
  };

  const line = (item: OrderLine) => ({ productId: item.productId, quantity: item.quantity, unitPriceCents: item.unitPriceCents ?? 100 });

  const catalog: TestCatalog = Object.assign(svc, {
    deliver,
    handled,
    async deliverAgain(envelope: EventEnvelope<any>) {
      await svc.redeliver(envelope);
      await deliver(envelope.type as EventType, envelope.data, envelope.producer);
    },
    async published<T extends CatalogEventType>(type: T, fields: Partial<EventData<T>> = {}) {
      const rows = await db.select({ envelope: outbox.envelope }).from(outbox).where(eq(outbox.type, type)).orderBy(asc(outbox.createdAt), asc(outbox.id));
      return rows
        .map((row) => row.envelope as EventEnvelope<EventData<T>>)
        .filter((envelope) => Object.entries(fields).every(([key, value]) => (envelope.data as Record<string, unknown>)[key] === value));
    },
    known,
    seller: () => known(['user', 'seller']),
    async admin() {
      admin ??= await known(['user', 'admin']);
      return admin;
    },
    async product(seller: GivenUser, body: Record<string, unknown> = {}) {
      const response = await svc.request('POST', `${API}/products`, {
        token: seller.accessToken,
        body: { name: `Lamp ${randomUUID().slice(0, 8)}`, description: 'A lamp', priceCents: 1500, stock: 10, ...body },
      });
      assert.equal(response.statusCode, 201, response.body);
      return response.json<ProductBody>();
    },
    async category(name = `Cat ${randomUUID().slice(0, 8)}`) {
      const response = await svc.request('POST', `${API}/categories`, { token: (await catalog.admin()).accessToken, body: { name } });
      assert.equal(response.statusCode, 201, response.body);
      return response.json<{ id: string; name: string }>();
    },
    async upload(ownerId: string) {
      const mediaId = randomUUID();
      const url = `http://localhost:8080/media/${mediaId}`;
      await deliver('media.uploaded', { mediaId, ownerId, url, thumbnailUrl: null, contentType: 'image/png' }, 'media');
      return { mediaId, url };
    },
    async ledger(productId: string) {
      const [row] = await db
        .select({ available: products.available, reserved: products.reserved, sold: products.sold, stocked: products.stocked })
        .from(products)
        .where(eq(products.id, productId));
      assert.ok(row, `no product ${productId}`);
      return row;
    },
    async reservationState(orderId: string) {
      const [row] = await db.select({ state: reservations.state }).from(reservations).where(eq(reservations.orderId, orderId));
      return row?.state ?? null;
    },
    order(userId: string, lines: OrderLine[], orderId: string = randomUUID()) {
      const items = lines.map(line);
      return {
        orderId,
        userId,
        items,
        totalCents: items.reduce((sum, item) => sum + item.quantity * item.unitPriceCents, 0),
        currency: 'USD',
        paymentMethod: 'pm_card_ok' as const,
        fromCart: false,
        createdAt: new Date().toISOString(),
      };
    },
    confirmed(order: EventData<'order.created'>) {
      const { paymentMethod: _paymentMethod, ...rest } = order;
      return { ...rest, confirmedAt: new Date().toISOString() };
    },
    cancelled(order: EventData<'order.created'>, reason: EventData<'order.cancelled'>['reason'] = 'cancelled_by_user') {
      return { orderId: order.orderId, userId: order.userId, items: order.items, reason, cancelledAt: new Date().toISOString() };
    },
    async buyerOf(productId: string) {
      const buyer = await known();
      const order = catalog.order(buyer.id, [{ productId, quantity: 1 }]);
      await deliver('order.created', order, 'orders');
      await deliver('order.confirmed', catalog.confirmed(order), 'orders');
      assert.equal(await catalog.reservationState(order.orderId), 'committed');
      return buyer;
    },
  });
  return catalog;
}

/** available + reserved + sold = stocked, and none below zero. */
export function assertBalanced(ledger: Ledger): void {
  assert.ok(ledger.available >= 0 && ledger.reserved >= 0 && ledger.sold >= 0, JSON.stringify(ledger));
  assert.equal(ledger.available + ledger.reserved + ledger.sold, ledger.stocked, JSON.stringify(ledger));
}
