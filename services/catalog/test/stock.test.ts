/**
 * The catalog's part of the checkout saga (saga steps 2 and 5): reserving an order's lines all
 * or nothing, committing on order.confirmed, releasing or restocking on order.cancelled, with the
 * ledger balanced at every step; duplicate and out-of-order deliveries of every order event;
 * many concurrent orders for the same units.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { eventually } from '@agora/kit/testing/service-harness';
import { API, assertBalanced, startCatalog, type TestCatalog } from './support/catalog.ts';

describe('catalog: stock and the checkout saga', () => {
  let svc: TestCatalog;
  before(async () => {
    svc = await startCatalog();
  });
  after(async () => {
    await svc?.close();
  });

  const stockShown = async (productId: string) => (await svc.request('GET', `${API}/products/${productId}`)).json().stock as number;

  describe('order.created', () => {
    it('reserves every line, announces stock.reserved with the order’s total and payment method, and shows less stock', async () => {
      const seller = await svc.seller();
      const [lamp, desk] = [await svc.product(seller, { stock: 5 }), await svc.product(seller, { stock: 2 })];
      const buyer = randomUUID();
      const order = svc.order(buyer, [
        { productId: lamp.id, quantity: 2, unitPriceCents: 1500 },
        { productId: desk.id, quantity: 2, unitPriceCents: 9000 },
      ]);
      await svc.deliver('order.created', order, 'orders');

      const [reserved] = await svc.published('stock.reserved', { orderId: order.orderId });
      assert.ok(reserved);
      assert.deepEqual({ ...reserved.data, reservedAt: undefined }, {
        orderId: order.orderId,
        userId: buyer,
        totalCents: 21_000,
        currency: 'USD',
        paymentMethod: 'pm_card_ok',
        reservedAt: undefined,
      });
      await svc.events.waitFor('stock.reserved', (data) => data.orderId === order.orderId);
      assert.deepEqual(await svc.ledger(lamp.id), { available: 3, reserved: 2, sold: 0, stocked: 5 });
      assert.deepEqual(await svc.ledger(desk.id), { available: 0, reserved: 2, sold: 0, stocked: 2 });
      assert.equal(await stockShown(lamp.id), 3);
      assert.equal(await svc.reservationState(order.orderId), 'reserved');
    });

    it('adds up lines naming the same product', async () => {
      const product = await svc.product(await svc.seller(), { stock: 3 });
      const order = svc.order(randomUUID(), [
        { productId: product.id, quantity: 2 },
        { productId: product.id, quantity: 2 },
      ]);
      await svc.deliver('order.created', order, 'orders');
      const [rejected] = await svc.published('stock.rejected', { orderId: order.orderId });
      assert.equal(rejected?.data.reason, 'out_of_stock');
      assert.deepEqual(await svc.ledger(product.id), { available: 3, reserved: 0, sold: 0, stocked: 3 });
    });

    it('reserves nothing when one line lacks stock and names the short products in stock.rejected out_of_stock', async () => {
      const seller = await svc.seller();
      const [plenty, scarce] = [await svc.product(seller, { stock: 10 }), await svc.product(seller, { stock: 1 })];
      const order = svc.order(randomUUID(), [
        { productId: plenty.id, quantity: 3 },
        { productId: scarce.id, quantity: 2 },
      ]);
      await svc.deliver('order.created', order, 'orders');
      const rejected = await svc.published('stock.rejected', { orderId: order.orderId });
      assert.equal(rejected.length, 1);
      assert.equal(rejected[0]!.data.reason, 'out_of_stock');
      assert.deepEqual(rejected[0]!.data.productIds, [scarce.id]);
      assert.equal(rejected[0]!.data.userId, order.userId);
      await svc.events.waitFor('stock.rejected', (data) => data.orderId === order.orderId);
      assert.deepEqual(await svc.ledger(plenty.id), { available: 10, reserved: 0, sold: 0, stocked: 10 });
      assert.equal((await svc.published('stock.reserved', { orderId: order.orderId })).length, 0);
      assert.equal(await svc.reservationState(order.orderId), 'rejected');
    });

    it('rejects as product_unavailable an order naming a deleted or unknown product, reserving nothing', async () => {
      const seller = await svc.seller();
      const [kept, deleted] = [await svc.product(seller, { stock: 5 }), await svc.product(seller, { stock: 5 })];
      assert.equal((await svc.request('DELETE', `${API}/products/${deleted.id}`, { token: seller.accessToken })).statusCode, 204);
      const unknown = randomUUID();
      const order = svc.order(randomUUID(), [
        { productId: kept.id, quantity: 1 },
        { productId: deleted.id, quantity: 1 },
        { productId: unknown, quantity: 1 },
      ]);
      await svc.deliver('order.created', order, 'orders');
      const [rejected] = await svc.published('stock.rejected', { orderId: order.orderId });
      assert.equal(rejected?.data.reason, 'product_unavailable');
      assert.deepEqual(rejected.data.productIds, [deleted.id, unknown].sort());
      assert.deepEqual(await svc.ledger(kept.id), { available: 5, reserved: 0, sold: 0, stocked: 5 });
      assert.deepEqual(await svc.ledger(deleted.id), { available: 5, reserved: 0, sold: 0, stocked: 5 });
    });

    it('changes nothing when order.created is delivered again, after a reservation and after a rejection', async () => {
      const product = await svc.product(await svc.seller(), { stock: 3 });
      const fits = svc.order(randomUUID(), [{ productId: product.id, quantity: 2 }]);
      const tooMany = svc.order(randomUUID(), [{ productId: product.id, quantity: 2 }]);
      const first = await svc.deliver('order.created', fits, 'orders');
      const second = await svc.deliver('order.created', tooMany, 'orders');
      await svc.deliverAgain(first);
      await svc.deliverAgain(second);
      assert.deepEqual(await svc.ledger(product.id), { available: 1, reserved: 2, sold: 0, stocked: 3 });
      assert.equal((await svc.published('stock.reserved', { orderId: fits.orderId })).length, 1);
      assert.equal((await svc.published('stock.rejected', { orderId: tooMany.orderId })).length, 1);
      assert.equal((await svc.published('stock.reserved', { orderId: tooMany.orderId })).length, 0);
    });
  });

  describe('order.confirmed', () => {
    it('turns the reservation into sales once, however often it is delivered', async () => {
      const product = await svc.product(await svc.seller(), { stock: 4 });
      const order = svc.order(randomUUID(), [{ productId: product.id, quantity: 3 }]);
      await svc.deliver('order.created', order, 'orders');
      const confirmed = await svc.deliver('order.confirmed', svc.confirmed(order), 'orders');
      assert.deepEqual(await svc.ledger(product.id), { available: 1, reserved: 0, sold: 3, stocked: 4 });
      await svc.deliverAgain(confirmed);
      assert.deepEqual(await svc.ledger(product.id), { available: 1, reserved: 0, sold: 3, stocked: 4 });
      assert.equal(await svc.reservationState(order.orderId), 'committed');
      assert.equal(await stockShown(product.id), 1);
    });

    it('settles an order of a product deleted meanwhile', async () => {
      const seller = await svc.seller();
      const product = await svc.product(seller, { stock: 2 });
      const order = svc.order(randomUUID(), [{ productId: product.id, quantity: 2 }]);
      await svc.deliver('order.created', order, 'orders');
      assert.equal((await svc.request('DELETE', `${API}/products/${product.id}`, { token: seller.accessToken })).statusCode, 204);
      await svc.deliver('order.confirmed', svc.confirmed(order), 'orders');
      assert.deepEqual(await svc.ledger(product.id), { available: 0, reserved: 0, sold: 2, stocked: 2 });
    });

    it('waits for a reservation it has not made yet: a confirmation that overtakes its order.created is applied once that arrives', async () => {
      const product = await svc.product(await svc.seller(), { stock: 4 });
      const order = svc.order(randomUUID(), [{ productId: product.id, quantity: 1 }]);
      const confirmed = await svc.publish('order.confirmed', svc.confirmed(order), 'orders');
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal(await svc.reservationState(order.orderId), null);
      await svc.deliver('order.created', order, 'orders');
      // The kit retries the confirmation after its first back-off (1 s).
      await svc.handled(confirmed, 10_000);
      assert.equal(await svc.reservationState(order.orderId), 'committed');
      assert.deepEqual(await svc.ledger(product.id), { available: 3, reserved: 0, sold: 1, stocked: 4 });
    });
  });

  describe('order.cancelled', () => {
    it('releases a held reservation and announces stock.released with the lines', async () => {
      const product = await svc.product(await svc.seller(), { stock: 5 });
      const order = svc.order(randomUUID(), [{ productId: product.id, quantity: 4, unitPriceCents: 250 }]);
      await svc.deliver('order.created', order, 'orders');
      const cancelled = await svc.deliver('order.cancelled', svc.cancelled(order, 'payment_declined'), 'orders');
      assert.deepEqual(await svc.ledger(product.id), { available: 5, reserved: 0, sold: 0, stocked: 5 });
      const released = await svc.published('stock.released', { orderId: order.orderId });
      assert.equal(released.length, 1);
      assert.deepEqual(released[0]!.data.items, order.items);
      assert.equal(released[0]!.data.userId, order.userId);
      assert.equal(released[0]!.causationId, cancelled.id);
      await svc.events.waitFor('stock.released', (data) => data.orderId === order.orderId);

      await svc.deliverAgain(cancelled);
      assert.deepEqual(await svc.ledger(product.id), { available: 5, reserved: 0, sold: 0, stocked: 5 });
      assert.equal((await svc.published('stock.released', { orderId: order.orderId })).length, 1);
    });

    it('restocks a confirmed order that is cancelled, once', async () => {
      const product = await svc.product(await svc.seller(), { stock: 5 });
      const order = svc.order(randomUUID(), [{ productId: product.id, quantity: 2 }]);
      await svc.deliver('order.created', order, 'orders');
      await svc.deliver('order.confirmed', svc.confirmed(order), 'orders');
      const cancelled = await svc.deliver('order.cancelled', svc.cancelled(order), 'orders');
      assert.deepEqual(await svc.ledger(product.id), { available: 5, reserved: 0, sold: 0, stocked: 5 });
      assert.equal((await svc.published('stock.released', { orderId: order.orderId })).length, 1);
      await svc.deliverAgain(cancelled);
      assert.deepEqual(await svc.ledger(product.id), { available: 5, reserved: 0, sold: 0, stocked: 5 });
      assert.equal(await svc.reservationState(order.orderId), 'released');
      assert.equal((await svc.published('stock.released', { orderId: order.orderId })).length, 1);
    });

    it('records an order cancelled before its order.created as released: the late order.created reserves nothing and announces nothing', async () => {
      const product = await svc.product(await svc.seller(), { stock: 5 });
      const order = svc.order(randomUUID(), [{ productId: product.id, quantity: 2 }]);
      await svc.deliver('order.cancelled', svc.cancelled(order, 'timed_out'), 'orders');
      assert.equal(await svc.reservationState(order.orderId), 'released');
      const created = await svc.deliver('order.created', order, 'orders');
      await svc.deliverAgain(created);
      assert.deepEqual(await svc.ledger(product.id), { available: 5, reserved: 0, sold: 0, stocked: 5 });
      assert.equal(await svc.reservationState(order.orderId), 'released');
      assert.equal((await svc.published('stock.reserved', { orderId: order.orderId })).length, 0);
      assert.equal((await svc.published('stock.rejected', { orderId: order.orderId })).length, 0);
      assert.equal((await svc.published('stock.released', { orderId: order.orderId })).length, 0);
    });

    it('ignores a confirmation that arrives after the cancellation of the same order', async () => {
      const product = await svc.product(await svc.seller(), { stock: 5 });
      const order = svc.order(randomUUID(), [{ productId: product.id, quantity: 1 }]);
      await svc.deliver('order.created', order, 'orders');
      await svc.deliver('order.cancelled', svc.cancelled(order), 'orders');
      await svc.deliver('order.confirmed', svc.confirmed(order), 'orders');
      assert.deepEqual(await svc.ledger(product.id), { available: 5, reserved: 0, sold: 0, stocked: 5 });
      assert.equal(await svc.reservationState(order.orderId), 'released');
    });

    it('changes nothing for a rejected order that is cancelled', async () => {
      const product = await svc.product(await svc.seller(), { stock: 1 });
      const order = svc.order(randomUUID(), [{ productId: product.id, quantity: 2 }]);
      await svc.deliver('order.created', order, 'orders');
      await svc.deliver('order.cancelled', svc.cancelled(order, 'out_of_stock'), 'orders');
      assert.deepEqual(await svc.ledger(product.id), { available: 1, reserved: 0, sold: 0, stocked: 1 });
      assert.equal(await svc.reservationState(order.orderId), 'rejected');
      assert.equal((await svc.published('stock.released', { orderId: order.orderId })).length, 0);
    });

    it('ends in the same state whatever order created, confirmed and cancelled arrive in', async () => {
      const product = await svc.product(await svc.seller(), { stock: 10 });
      const orders = [0, 1, 2].map(() => svc.order(randomUUID(), [{ productId: product.id, quantity: 2 }]));
      // created, cancelled, confirmed / cancelled, created, confirmed / cancelled, confirmed, created
      await svc.deliver('order.created', orders[0]!, 'orders');
      await svc.deliver('order.cancelled', svc.cancelled(orders[0]!), 'orders');
      await svc.deliver('order.confirmed', svc.confirmed(orders[0]!), 'orders');
      await svc.deliver('order.cancelled', svc.cancelled(orders[1]!), 'orders');
      await svc.deliver('order.created', orders[1]!, 'orders');
      await svc.deliver('order.confirmed', svc.confirmed(orders[1]!), 'orders');
      await svc.deliver('order.cancelled', svc.cancelled(orders[2]!), 'orders');
      await svc.deliver('order.confirmed', svc.confirmed(orders[2]!), 'orders');
      await svc.deliver('order.created', orders[2]!, 'orders');
      for (const order of orders) assert.equal(await svc.reservationState(order.orderId), 'released');
      assert.deepEqual(await svc.ledger(product.id), { available: 10, reserved: 0, sold: 0, stocked: 10 });
    });
  });

  describe('concurrent orders', () => {
    it('reserves exactly the units there are when 20 orders for 7 units arrive at once', async () => {
      const product = await svc.product(await svc.seller(), { stock: 7 });
      const orders = Array.from({ length: 20 }, () => svc.order(randomUUID(), [{ productId: product.id, quantity: 1 }]));
      const envelopes = await Promise.all(orders.map((order) => svc.publish('order.created', order, 'orders')));
      await Promise.all(envelopes.map((envelope) => svc.handled(envelope, 20_000)));

      let reserved = 0;
      let rejected = 0;
      for (const order of orders) {
        reserved += (await svc.published('stock.reserved', { orderId: order.orderId })).length;
        rejected += (await svc.published('stock.rejected', { orderId: order.orderId })).length;
      }
      assert.equal(reserved, 7);
      assert.equal(rejected, 13);
      const ledger = await svc.ledger(product.id);
      assert.deepEqual(ledger, { available: 0, reserved: 7, sold: 0, stocked: 7 });
      assertBalanced(ledger);
    });

    it('keeps the ledger balanced while orders over two products reserve, confirm and cancel at once', async () => {
      const seller = await svc.seller();
      const [a, b] = [await svc.product(seller, { stock: 6 }), await svc.product(seller, { stock: 6 })];
      // Lines name the products in both orders, so only locking in id order avoids deadlocks.
      const orders = Array.from({ length: 12 }, (_, i) =>
        svc.order(randomUUID(), i % 2 === 0 ? [{ productId: a.id, quantity: 1 }, { productId: b.id, quantity: 1 }] : [{ productId: b.id, quantity: 1 }, { productId: a.id, quantity: 1 }]),
      );
      await Promise.all((await Promise.all(orders.map((order) => svc.publish('order.created', order, 'orders')))).map((envelope) => svc.handled(envelope, 20_000)));
      const settled = await Promise.all(
        orders.map(async (order, i) => {
          if ((await svc.published('stock.reserved', { orderId: order.orderId })).length === 0) return svc.publish('order.cancelled', svc.cancelled(order, 'out_of_stock'), 'orders');
          return i % 3 === 0 ? svc.publish('order.cancelled', svc.cancelled(order), 'orders') : svc.publish('order.confirmed', svc.confirmed(order), 'orders');
        }),
      );
      await Promise.all(settled.map((envelope) => svc.handled(envelope, 20_000)));
      for (const product of [a, b]) {
        const ledger = await svc.ledger(product.id);
        assertBalanced(ledger);
        assert.equal(ledger.reserved, 0);
        assert.equal(ledger.stocked, 6);
      }
      await eventually(async () => assert.equal(await svc.bus.deadLetters.count('catalog'), 0));
    });
  });
});
