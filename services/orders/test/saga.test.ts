/**
 * The orders side of the checkout saga: catalog's and payments' verdicts confirm or cancel a
 * pending order, once, whatever the delivery order, however often delivered, and whichever
 * verdict (or cancel, or timeout) gets there first.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { processedEvents } from '@agora/kit/bus/outbox.tables';
import { API, sagaEvents, startOrders, type OrderJson, type TestOrders } from './support/orders.ts';

describe('the checkout saga', () => {
  let svc: TestOrders;
  before(async () => {
    svc = await startOrders();
  });
  after(async () => {
    await svc?.close();
  });

  const placed = async () => {
    const user = await svc.given.user();
    const product = await svc.product({ priceCents: 2_500 });
    const order = await svc.order(user, [{ product, quantity: 2 }]);
    return { user, product, order, events: sagaEvents(order) };
  };
  const eventCounts = async (orderId: string) => ({
    confirmed: (await svc.published('order.confirmed', { orderId })).length,
    cancelled: (await svc.published('order.cancelled', { orderId })).length,
  });

  it('confirms a pending order on payment.succeeded and announces order.confirmed once, however often it is delivered', async () => {
    const { user, product, order, events } = await placed();
    const paid = await svc.deliver('payment.succeeded', events.paymentSucceeded, 'payments');
    await svc.redeliver(paid);
    await svc.deliver('payment.succeeded', { ...events.paymentSucceeded }, 'payments');

    const confirmed = await svc.read(user, order.id);
    assert.equal(confirmed.status, 'confirmed');
    assert.equal(confirmed.cancelReason, undefined);
    assert.ok(confirmed.updatedAt >= order.updatedAt);
    const published = await svc.published('order.confirmed', { orderId: order.id });
    assert.equal(published.length, 1);
    assert.equal(published[0]!.correlationId, paid.correlationId);
    assert.equal(published[0]!.causationId, paid.id);
    assert.deepEqual(published[0]!.data, {
      orderId: order.id,
      userId: user.id,
      items: [{ productId: product.id, quantity: 2, unitPriceCents: 2_500 }],
      totalCents: 5_000,
      currency: 'USD',
      fromCart: false,
      createdAt: order.createdAt,
      confirmedAt: confirmed.updatedAt,
    });
    await svc.events.waitFor('order.confirmed', (data) => data.orderId === order.id);
  });

  it('cancels a pending order as out_of_stock on stock.rejected, once', async () => {
    const { user, product, order, events } = await placed();
    const rejected = await svc.deliver('stock.rejected', events.stockRejected, 'catalog');
    await svc.redeliver(rejected);
    await svc.deliver('stock.rejected', { ...events.stockRejected, reason: 'product_unavailable' }, 'catalog');
    const cancelled = await svc.read(user, order.id);
    assert.equal(cancelled.status, 'cancelled');
    assert.equal(cancelled.cancelReason, 'out_of_stock');
    const published = await svc.published('order.cancelled', { orderId: order.id });
    assert.equal(published.length, 1);
    assert.deepEqual(published[0]!.data, {
      orderId: order.id,
      userId: user.id,
      items: [{ productId: product.id, quantity: 2, unitPriceCents: 2_500 }],
      reason: 'out_of_stock',
      cancelledAt: cancelled.updatedAt,
    });
    assert.equal(published[0]!.causationId, rejected.id);
    assert.deepEqual(await eventCounts(order.id), { confirmed: 0, cancelled: 1 });
  });

  it('cancels a pending order as payment_declined on payment.failed, once', async () => {
    const { user, order, events } = await placed();
    const failed = await svc.deliver('payment.failed', events.paymentFailed, 'payments');
    await svc.redeliver(failed);
    const cancelled = await svc.read(user, order.id);
    assert.equal(cancelled.status, 'cancelled');
    assert.equal(cancelled.cancelReason, 'payment_declined');
    assert.deepEqual(await eventCounts(order.id), { confirmed: 0, cancelled: 1 });
    assert.equal((await svc.published('order.cancelled', { orderId: order.id }))[0]!.data.reason, 'payment_declined');
  });

  it('keeps the first verdict: a later payment.succeeded leaves a cancelled order cancelled, a later rejection or decline leaves a confirmed one confirmed', async () => {
    const a = await placed();
    await svc.deliver('payment.failed', a.events.paymentFailed, 'payments');
    await svc.deliver('payment.succeeded', a.events.paymentSucceeded, 'payments');
    await svc.deliver('stock.rejected', a.events.stockRejected, 'catalog');
    const first = await svc.read(a.user, a.order.id);
    assert.equal(first.status, 'cancelled');
    assert.equal(first.cancelReason, 'payment_declined');
    assert.deepEqual(await eventCounts(a.order.id), { confirmed: 0, cancelled: 1 });

    const b = await placed();
    await svc.deliver('payment.succeeded', b.events.paymentSucceeded, 'payments');
    await svc.deliver('stock.rejected', b.events.stockRejected, 'catalog');
    await svc.deliver('payment.failed', b.events.paymentFailed, 'payments');
    const second = await svc.read(b.user, b.order.id);
    assert.equal(second.status, 'confirmed');
    assert.equal(second.cancelReason, undefined);
    assert.deepEqual(await eventCounts(b.order.id), { confirmed: 1, cancelled: 0 });
  });

  it('leaves stock.reserved to payments and waits for the payment', async () => {
    const { user, order, events } = await placed();
    const reserved = await svc.publish('stock.reserved', events.stockReserved, 'catalog');
    await svc.deliver('payment.succeeded', events.paymentSucceeded, 'payments');
    assert.equal((await svc.read(user, order.id)).status, 'confirmed');
    const handled = await svc.database.db.select().from(processedEvents).where(eq(processedEvents.eventId, reserved.id));
    assert.deepEqual(handled, [], 'orders spends no transaction on stock.reserved');
  });

  it('decides once when a success and a decline for one order are delivered at the same moment', async () => {
    const runs = await Promise.all(Array.from({ length: 4 }, () => placed()));
    await Promise.all(
      runs.flatMap(({ events }) => [
        svc.deliver('payment.succeeded', events.paymentSucceeded, 'payments'),
        svc.deliver('payment.failed', events.paymentFailed, 'payments'),
        svc.deliver('stock.rejected', events.stockRejected, 'catalog'),
      ]),
    );
    for (const { user, order } of runs) {
      const final: OrderJson = await svc.read(user, order.id);
      const counts = await eventCounts(order.id);
      assert.equal(counts.confirmed + counts.cancelled, 1, JSON.stringify(counts));
      assert.equal(final.status, counts.confirmed === 1 ? 'confirmed' : 'cancelled');
    }
  });

  it('acknowledges verdicts about orders it never made and changes nothing', async () => {
    const stranger = sagaEvents({ id: randomUUID(), userId: randomUUID(), totalCents: 1, currency: 'USD' });
    await svc.deliver('stock.rejected', stranger.stockRejected, 'catalog');
    await svc.deliver('payment.succeeded', stranger.paymentSucceeded, 'payments');
    await svc.deliver('payment.failed', stranger.paymentFailed, 'payments');
    assert.deepEqual(await eventCounts(stranger.stockReserved.orderId), { confirmed: 0, cancelled: 0 });
    const admin = await svc.given.user({ roles: ['user', 'admin'] });
    const response = await svc.request('GET', `${API}/orders/${stranger.stockReserved.orderId}`, { token: admin.accessToken });
    assert.equal(response.statusCode, 404);
  });
});
