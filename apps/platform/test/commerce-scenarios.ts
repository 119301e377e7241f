/**
 * The commerce sections of API.md (catalog, cart, orders and payments) spoken through the
 * gateway across every service of the checkout saga: a cart becomes a confirmed order, a
 * declined card and a shortage cancel with everything released, buyers racing for the last
 * units never oversell, one idempotency key makes one order, an owner's cancellation refunds and
 * restocks, private things stay private, and bad input is refused. Runs against the embedded and
 * the distributed platform.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { assertProblem, eventually, type PlatformUnderTest } from './client.ts';
import { CATCH_UP_MS, shippingAddress, shop } from './shoppers.ts';

export function commerceScenarios(platform: () => PlatformUnderTest): void {
  const { api, admin, buyer, seller, product, checkout, settled, stockOf } = shop(platform);

  describe('commerce through the gateway', () => {
    it('turns a cart into a confirmed order: catalog prices, stock taken, card charged, cart emptied, buyer told, review allowed', async () => {
      const shopkeeper = await seller();
      const teapot = await product(shopkeeper, { priceCents: 1_250, stock: 5 });
      const cup = await product(shopkeeper, { name: 'Cup', priceCents: 300, stock: 20 });
      const ada = await buyer('ada');

      await eventually(CATCH_UP_MS, async () => assert.equal((await api('PUT', `/cart/items/${teapot.id}`, { token: ada.token, body: { quantity: 2 } })).status, 200));
      await eventually(CATCH_UP_MS, async () => assert.equal((await api('PUT', `/cart/items/${cup.id}`, { token: ada.token, body: { quantity: 3 } })).status, 200));
      const cart = await api('GET', '/cart', { token: ada.token });
      assert.equal(cart.body.totalCents, 2 * 1_250 + 3 * 300);
      assert.equal(cart.body.currency, 'USD');

      const order = await checkout(ada, { paymentMethod: 'pm_card_ok' });
      assert.equal(order.status, 'pending');
      assert.equal(order.totalCents, 3_400);
      assert.deepEqual(
        order.items.map((line: any) => [line.productId, line.unitPriceCents, line.quantity]).sort(),
        [
          [teapot.id, 1_250, 2],
          [cup.id, 300, 3],
        ].sort(),
      );

      const done = await settled(ada, order.id);
      assert.equal(done.status, 'confirmed');
      assert.equal('cancelReason' in done, false);
      assert.equal(await stockOf(teapot.id), 3);
      assert.equal(await stockOf(cup.id), 17);
      await eventually(CATCH_UP_MS, async () => assert.deepEqual((await api('GET', '/cart', { token: ada.token })).body.items, []));

      const payments = await api('GET', '/payments', { token: ada.token });
      assert.equal(payments.status, 200);
      const payment = payments.body.items.find((item: any) => item.orderId === order.id);
      assert.ok(payment, 'a payment for the order');
      assert.equal(payment.status, 'succeeded');
      assert.equal(payment.amountCents, 3_400);

      await eventually(CATCH_UP_MS, async () => {
        const inbox = await api('GET', '/notifications', { token: ada.token });
        assert.ok(inbox.body.items.some((item: any) => item.type === 'order' && item.subject.id === order.id && item.status === 'confirmed'));
      });

      const review = await eventually(CATCH_UP_MS, async () => {
        const reply = await api('POST', `/products/${teapot.id}/reviews`, { token: ada.token, body: { rating: 4, text: 'Pours well' } });
        assert.equal(reply.status, 201, reply.text);
        return reply;
      });
      assert.equal(review.body.rating, 4);
      assertProblem(await api('POST', `/products/${teapot.id}/reviews`, { token: ada.token, body: { rating: 5 } }), 409);
      assertProblem(await api('POST', `/products/${teapot.id}/reviews`, { token: (await buyer('stranger')).token, body: { rating: 1 } }), 403);
      const rated = await api('GET', `/products/${teapot.id}`);
      assert.deepEqual(rated.body.rating, { average: 4, count: 1 });
    });

    it('cancels on a declined card: payment failed, stock back, buyer told of both', async () => {
      const shopkeeper = await seller();
      const lamp = await product(shopkeeper, { stock: 3, priceCents: 4_000 });
      const bo = await buyer('bo');
      const order = await checkout(bo, { paymentMethod: 'pm_card_declined', items: [{ productId: lamp.id, quantity: 2 }] });
      const done = await settled(bo, order.id);
      assert.equal(done.status, 'cancelled');
      assert.equal(done.cancelReason, 'payment_declined');
      await eventually(CATCH_UP_MS, async () => assert.equal(await stockOf(lamp.id), 3));
      const payments = await api('GET', '/payments', { token: bo.token });
      assert.deepEqual(
        payments.body.items.filter((item: any) => item.orderId === order.id).map((item: any) => item.status),
        ['failed'],
      );
      await eventually(CATCH_UP_MS, async () => {
        const inbox = (await api('GET', '/notifications', { token: bo.token })).body.items;
        assert.ok(inbox.some((item: any) => item.type === 'payment' && item.status === 'failed'));
        assert.ok(inbox.some((item: any) => item.type === 'order' && item.status === 'cancelled' && item.subject.id === order.id));
      });
    });

    it('cancels for a shortage without charging, and keeps the stock', async () => {
      const shopkeeper = await seller();
      const vase = await product(shopkeeper, { stock: 1 });
      const cy = await buyer('cy');
      const order = await checkout(cy, { paymentMethod: 'pm_card_ok', items: [{ productId: vase.id, quantity: 2 }] });
      const done = await settled(cy, order.id);
      assert.equal(done.cancelReason, 'out_of_stock');
      assert.equal(await stockOf(vase.id), 1);
      assert.deepEqual((await api('GET', '/payments', { token: cy.token })).body.items, []);
    });

    it('sells the last units to exactly as many buyers as there are units when more race for them', async () => {
      const shopkeeper = await seller();
      const units = 3;
      const racers = 10;
      const rare = await product(shopkeeper, { stock: units, priceCents: 9_900 });
      const buyers = await Promise.all(Array.from({ length: racers }, (_, i) => buyer(`racer${i}`)));
      const orders = await Promise.all(buyers.map((who) => checkout(who, { paymentMethod: 'pm_card_ok', items: [{ productId: rare.id, quantity: 1 }] })));
      const outcomes = await Promise.all(orders.map((order, i) => settled(buyers[i]!, order.id, CATCH_UP_MS * 10)));
      const confirmed = outcomes.filter((order) => order.status === 'confirmed');
      assert.equal(confirmed.length, units);
      assert.ok(outcomes.filter((order) => order.status === 'cancelled').every((order) => order.cancelReason === 'out_of_stock'));
      assert.equal(await stockOf(rare.id), 0);
      // Each winner paid once; no loser was charged.
      const charged = await Promise.all(buyers.map(async (who) => (await api('GET', '/payments', { token: who.token })).body.items.length));
      assert.equal(charged.reduce((sum, n) => sum + n, 0), units);
    });

    it('makes one order of ten concurrent requests with one Idempotency-Key, replays it, and refuses a different request with the key', async () => {
      const shopkeeper = await seller();
      const kettle = await product(shopkeeper, { stock: 50 });
      const dee = await buyer('dee');
      const key = randomUUID();
      const body = { shippingAddress, paymentMethod: 'pm_card_ok', items: [{ productId: kettle.id, quantity: 1 }] };
      // Orders must know the product before the race, or every request would be a 404.
      await checkout(dee, { paymentMethod: 'pm_card_ok', items: [{ productId: kettle.id, quantity: 1 }] });
      const replies = await Promise.all(Array.from({ length: 10 }, () => api('POST', '/orders', { token: dee.token, headers: { 'idempotency-key': key }, body })));
      const created = replies.filter((reply) => reply.status === 201);
      assert.ok(created.length >= 1, replies.map((reply) => reply.status).join());
      assert.ok(replies.every((reply) => reply.status === 201 || reply.status === 409), replies.map((reply) => reply.status).join());
      assert.equal(new Set(created.map((reply) => reply.body.id)).size, 1);
      const replay = await api('POST', '/orders', { token: dee.token, headers: { 'idempotency-key': key }, body });
      assert.equal(replay.status, 201);
      assert.equal(replay.body.id, created[0]!.body.id);
      const mine = await api('GET', '/orders?limit=100', { token: dee.token });
      assert.equal(mine.body.items.length, 2, 'the first checkout and the one keyed order');
      assertProblem(await api('POST', '/orders', { token: dee.token, headers: { 'idempotency-key': key }, body: { ...body, paymentMethod: 'pm_card_declined' } }), 422);
      assertProblem(await api('POST', '/orders', { token: dee.token, body }), 400);
      // Keys are the user's own: another buyer's same key is a new order.
      const eve = await buyer('eve');
      const theirs = await api('POST', '/orders', { token: eve.token, headers: { 'idempotency-key': key }, body });
      assert.equal(theirs.status, 201, theirs.text);
      assert.notEqual(theirs.body.id, created[0]!.body.id);
    });

    it('lets the owner cancel a confirmed order: refunded and restocked, and not twice', async () => {
      const shopkeeper = await seller();
      const chair = await product(shopkeeper, { stock: 4 });
      const fay = await buyer('fay');
      const order = await checkout(fay, { paymentMethod: 'pm_card_ok', items: [{ productId: chair.id, quantity: 3 }] });
      assert.equal((await settled(fay, order.id)).status, 'confirmed');
      assert.equal(await stockOf(chair.id), 1);
      assertProblem(await api('POST', `/orders/${order.id}/cancel`, { token: (await buyer('other')).token }), 404);
      const cancelled = await api('POST', `/orders/${order.id}/cancel`, { token: fay.token });
      assert.equal(cancelled.status, 200, cancelled.text);
      assert.equal(cancelled.body.status, 'cancelled');
      assert.equal(cancelled.body.cancelReason, 'cancelled_by_user');
      await eventually(CATCH_UP_MS, async () => assert.equal(await stockOf(chair.id), 4));
      await eventually(CATCH_UP_MS, async () => {
        const [payment] = (await api('GET', '/payments', { token: fay.token })).body.items;
        assert.equal(payment.status, 'refunded');
      });
      assertProblem(await api('POST', `/orders/${order.id}/cancel`, { token: fay.token }), 409);
    });

    it('shows orders and payments to their owner and admins only', async () => {
      const shopkeeper = await seller();
      const rug = await product(shopkeeper, { stock: 2 });
      const gus = await buyer('gus');
      const order = await checkout(gus, { paymentMethod: 'pm_card_ok', items: [{ productId: rug.id, quantity: 1 }] });
      await settled(gus, order.id);
      const stranger = await buyer('stranger');
      assertProblem(await api('GET', `/orders/${order.id}`, { token: stranger.token }), 404);
      assert.deepEqual((await api('GET', '/orders', { token: stranger.token })).body.items, []);
      assert.equal((await api('GET', `/orders/${order.id}`, { token: await admin() })).status, 200);
      const [payment] = (await api('GET', '/payments', { token: gus.token })).body.items;
      assertProblem(await api('GET', `/payments/${payment.id}`, { token: stranger.token }), 404);
      assert.equal((await api('GET', `/payments/${payment.id}`, { token: await admin() })).status, 200);
      assertProblem(await api('GET', '/orders'), 401);
      assertProblem(await api('GET', '/cart'), 401);
    });

    it('drops a deleted product from carts and from search', async () => {
      const shopkeeper = await seller();
      const marker = `zebrawood${randomUUID().slice(0, 6)}`;
      const stool = await product(shopkeeper, { name: `Stool ${marker}` });
      const hal = await buyer('hal');
      await eventually(CATCH_UP_MS, async () => assert.equal((await api('PUT', `/cart/items/${stool.id}`, { token: hal.token, body: { quantity: 1 } })).status, 200));
      await eventually(CATCH_UP_MS, async () => assert.equal((await api('GET', `/search?q=${marker}&type=products`)).body.items.length, 1));
      assert.equal((await api('DELETE', `/products/${stool.id}`, { token: shopkeeper.token })).status, 204);
      assertProblem(await api('GET', `/products/${stool.id}`), 404);
      await eventually(CATCH_UP_MS, async () => assert.deepEqual((await api('GET', '/cart', { token: hal.token })).body.items, []));
      await eventually(CATCH_UP_MS, async () => assert.deepEqual((await api('GET', `/search?q=${marker}&type=products`)).body.items, []));
    });

    it('refuses what a client may not set and bad input with 4xx problems, never a 5xx', async () => {
      const shopkeeper = await seller();
      const mug = await product(shopkeeper, { stock: 5 });
      const ivy = await buyer('ivy');
      const key = () => ({ 'idempotency-key': randomUUID() });
      const cases: [string, Promise<Awaited<ReturnType<typeof api>>>, number][] = [
        ['a buyer listing a product', api('POST', '/products', { token: ivy.token, body: { name: 'x', description: 'y', priceCents: 1, stock: 1 } }), 403],
        ['sellerId in a product', api('POST', '/products', { token: shopkeeper.token, body: { name: 'x', description: 'y', priceCents: 1, stock: 1, sellerId: ivy.id } }), 400],
        ['a negative price', api('POST', '/products', { token: shopkeeper.token, body: { name: 'x', description: 'y', priceCents: -1, stock: 1 } }), 400],
        ['a fractional stock', api('POST', '/products', { token: shopkeeper.token, body: { name: 'x', description: 'y', priceCents: 1, stock: 1.5 } }), 400],
        ['someone else editing a product', api('PATCH', `/products/${mug.id}`, { token: (await seller('rival')).token, body: { priceCents: 1 } }), 403],
        ['a malformed product id', api('GET', '/products/not-a-uuid'), 400],
        ['an unknown product', api('GET', `/products/${randomUUID()}`), 404],
        ['a bad sort', api('GET', '/products?sort=cheapest'), 400],
        ['a quantity of 0', api('PUT', `/cart/items/${mug.id}`, { token: ivy.token, body: { quantity: 0 } }), 400],
        ['a quantity of 100', api('PUT', `/cart/items/${mug.id}`, { token: ivy.token, body: { quantity: 100 } }), 400],
        ['a price in a cart line', api('PUT', `/cart/items/${mug.id}`, { token: ivy.token, body: { quantity: 1, unitPriceCents: 1 } }), 400],
        ['an unknown product in the cart', api('PUT', `/cart/items/${randomUUID()}`, { token: ivy.token, body: { quantity: 1 } }), 404],
        ['a price in an order line', api('POST', '/orders', { token: ivy.token, headers: key(), body: { shippingAddress, paymentMethod: 'pm_card_ok', items: [{ productId: mug.id, quantity: 1, unitPriceCents: 1 }] } }), 400],
        ['a status in an order', api('POST', '/orders', { token: ivy.token, headers: key(), body: { shippingAddress, paymentMethod: 'pm_card_ok', status: 'confirmed', items: [{ productId: mug.id, quantity: 1 }] } }), 400],
        ['a totalCents in an order', api('POST', '/orders', { token: ivy.token, headers: key(), body: { shippingAddress, paymentMethod: 'pm_card_ok', totalCents: 1, items: [{ productId: mug.id, quantity: 1 }] } }), 400],
        ['an unknown payment method', api('POST', '/orders', { token: ivy.token, headers: key(), body: { shippingAddress, paymentMethod: 'pm_card_gold', items: [{ productId: mug.id, quantity: 1 }] } }), 400],
        ['no shipping address', api('POST', '/orders', { token: ivy.token, headers: key(), body: { paymentMethod: 'pm_card_ok', items: [{ productId: mug.id, quantity: 1 }] } }), 400],
        ['an order from an empty cart', api('POST', '/orders', { token: ivy.token, headers: key(), body: { shippingAddress, paymentMethod: 'pm_card_ok' } }), 400],
        ['an order of an unknown product', api('POST', '/orders', { token: ivy.token, headers: key(), body: { shippingAddress, paymentMethod: 'pm_card_ok', items: [{ productId: randomUUID(), quantity: 1 }] } }), 404],
        ['a key longer than 255', api('POST', '/orders', { token: ivy.token, headers: { 'idempotency-key': 'k'.repeat(256) }, body: { shippingAddress, paymentMethod: 'pm_card_ok', items: [{ productId: mug.id, quantity: 1 }] } }), 400],
        ['a malformed order id', api('GET', '/orders/123', { token: ivy.token }), 400],
        ['an unknown order', api('GET', `/orders/${randomUUID()}`, { token: ivy.token }), 404],
        ['a malformed payment id', api('GET', '/payments/abc', { token: ivy.token }), 400],
        ['a review rating of 6', api('POST', `/products/${mug.id}/reviews`, { token: ivy.token, body: { rating: 6 } }), 400],
        ['a category from a non-admin', api('POST', '/categories', { token: shopkeeper.token, body: { name: 'Kitchen' } }), 403],
        ['a body that is not JSON', api('POST', '/products', { token: shopkeeper.token, body: '{"name":', headers: { 'content-type': 'application/json' } }), 400],
      ];
      for (const [what, pending, status] of cases) {
        const reply = await pending;
        assert.equal(reply.status, status, `${what}: ${reply.status} ${reply.text}`);
        assertProblem(reply, status);
      }
    });
  });
}
