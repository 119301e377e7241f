/**
 * What other services' events do to carts: order.confirmed from the cart drops the lines it
 * bought unless they changed after the order was placed (whatever the order of arrival, however
 * often delivered), and user.deleted drops the cart for good.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { EventData } from '@agora/contracts/events';
import { ManualClock } from '@agora/kit/clock';
import { expectProblem } from '@agora/kit/testing/service-harness';
import { API, shopper, startCart, type TestCart, type TestProduct } from './support/cart.ts';

describe('cart: events from orders and identity', () => {
  // Time stands still unless a test moves it, so "changed after the order was placed" is exact.
  // It starts a minute ahead so tokens signed meanwhile (by the real clock) are never "issued later".
  const clock = new ManualClock(new Date(Date.now() + 60_000));
  let svc: TestCart;
  before(async () => {
    svc = await startCart({ clock });
  });
  after(async () => {
    await svc?.close();
  });

  const confirmed = (userId: string, bought: { product: TestProduct; quantity: number }[], createdAt: Date, fromCart = true): EventData<'order.confirmed'> => {
    const items = bought.map(({ product, quantity }) => ({ productId: product.id, quantity, unitPriceCents: product.priceCents }));
    return {
      orderId: randomUUID(),
      userId,
      items,
      totalCents: items.reduce((sum, line) => sum + line.quantity * line.unitPriceCents, 0),
      currency: 'USD',
      fromCart,
      createdAt: createdAt.toISOString(),
      confirmedAt: new Date(createdAt.getTime() + 500).toISOString(),
    };
  };
  const productIdsIn = async (token: string) => (await svc.cartOf(token)).items.map((line) => [line.productId, line.quantity]);

  describe('order.confirmed', () => {
    it('drops the lines of the ordered products from the buyer’s cart and keeps the others', async () => {
      const user = await shopper(svc);
      const [a, b, c] = [await svc.product(), await svc.product(), await svc.product()];
      for (const product of [a, b, c]) await svc.put(user.accessToken, product.id, 2);
      clock.advance(1000);
      await svc.deliver('order.confirmed', confirmed(user.id, [{ product: a, quantity: 2 }, { product: c, quantity: 2 }], clock.now()), 'orders');
      assert.deepEqual(await productIdsIn(user.accessToken), [[b.id, 2]]);
    });

    it('drops a line changed at the very moment the order was placed, but keeps one changed or added after it', async () => {
      const user = await shopper(svc);
      const [same, changed, added, untouched] = [await svc.product(), await svc.product(), await svc.product(), await svc.product()];
      await svc.put(user.accessToken, changed.id, 1);
      await svc.put(user.accessToken, untouched.id, 1);
      clock.advance(1000);
      await svc.put(user.accessToken, same.id, 1);
      const placedAt = clock.now();
      clock.advance(1);
      await svc.put(user.accessToken, changed.id, 5);
      await svc.put(user.accessToken, added.id, 3);
      const bought = [same, changed, added, untouched].map((product) => ({ product, quantity: 1 }));
      await svc.deliver('order.confirmed', confirmed(user.id, bought, placedAt), 'orders');
      assert.deepEqual(await productIdsIn(user.accessToken), [
        [changed.id, 5],
        [added.id, 3],
      ]);
    });

    it('leaves the cart alone for an order not made from the cart', async () => {
      const user = await shopper(svc);
      const a = await svc.product();
      await svc.put(user.accessToken, a.id, 1);
      clock.advance(1000);
      await svc.deliver('order.confirmed', confirmed(user.id, [{ product: a, quantity: 1 }], clock.now(), false), 'orders');
      assert.deepEqual(await productIdsIn(user.accessToken), [[a.id, 1]]);
    });

    it('leaves other buyers’ carts alone', async () => {
      const [ann, ben] = [await shopper(svc), await shopper(svc)];
      const a = await svc.product();
      await svc.put(ann.accessToken, a.id, 1);
      await svc.put(ben.accessToken, a.id, 1);
      clock.advance(1000);
      await svc.deliver('order.confirmed', confirmed(ann.id, [{ product: a, quantity: 1 }], clock.now()), 'orders');
      assert.deepEqual(await productIdsIn(ann.accessToken), []);
      assert.deepEqual(await productIdsIn(ben.accessToken), [[a.id, 1]]);
    });

    it('takes a redelivery, and the same order confirmed again under a new event id, as harmless to lines added since', async () => {
      const user = await shopper(svc);
      const a = await svc.product();
      await svc.put(user.accessToken, a.id, 1);
      clock.advance(1000);
      const order = confirmed(user.id, [{ product: a, quantity: 1 }], clock.now());
      const first = await svc.deliver('order.confirmed', order, 'orders');
      assert.deepEqual(await productIdsIn(user.accessToken), []);
      clock.advance(1000);
      await svc.put(user.accessToken, a.id, 4);
      await svc.redeliver(first);
      await svc.deliver('order.confirmed', order, 'orders');
      assert.deepEqual(await productIdsIn(user.accessToken), [[a.id, 4]]);
    });

    it('keeps a line changed after the order was placed when the confirmation arrives late', async () => {
      const user = await shopper(svc);
      const [a, b] = [await svc.product(), await svc.product()];
      await svc.put(user.accessToken, a.id, 1);
      await svc.put(user.accessToken, b.id, 1);
      clock.advance(1000);
      const order = confirmed(user.id, [{ product: a, quantity: 1 }, { product: b, quantity: 1 }], clock.now());
      clock.advance(5000);
      await svc.put(user.accessToken, b.id, 2);
      await svc.deliver('order.confirmed', order, 'orders');
      assert.deepEqual(await productIdsIn(user.accessToken), [[b.id, 2]]);
    });

    it('handles a confirmation for a buyer without a cart, or whose cart was erased, as nothing to do', async () => {
      const a = await svc.product();
      await svc.deliver('order.confirmed', confirmed(randomUUID(), [{ product: a, quantity: 1 }], clock.now()), 'orders');
      const erased = await shopper(svc);
      await svc.deliver('user.deleted', { userId: erased.id, deletedAt: clock.now().toISOString() }, 'identity');
      await svc.deliver('order.confirmed', confirmed(erased.id, [{ product: a, quantity: 1 }], clock.now()), 'orders');
      assert.deepEqual(await productIdsIn(erased.accessToken), []);
    });
  });

  describe('user.deleted', () => {
    it('drops the user’s cart and no one else’s; a second delivery is harmless', async () => {
      const [ann, ben] = [await shopper(svc), await shopper(svc)];
      const a = await svc.product();
      await svc.put(ann.accessToken, a.id, 1);
      await svc.put(ben.accessToken, a.id, 1);
      const deleted = await svc.deliver('user.deleted', { userId: ann.id, deletedAt: clock.now().toISOString() }, 'identity');
      await svc.redeliver(deleted);
      await svc.deliver('user.deleted', { userId: ann.id, deletedAt: clock.now().toISOString() }, 'identity');
      assert.deepEqual(await svc.cartOf(ann.accessToken), { items: [], totalCents: 0, currency: 'USD' });
      assert.deepEqual(await productIdsIn(ben.accessToken), [[a.id, 1]]);
    });

    it('keeps the cart empty for a token that outlives the account: PUT is 404 CART.NOT_FOUND, removals change nothing', async () => {
      const user = await shopper(svc);
      const a = await svc.product();
      await svc.deliver('user.deleted', { userId: user.id, deletedAt: clock.now().toISOString() }, 'identity');
      expectProblem(await svc.request('PUT', `${API}/cart/items/${a.id}`, { token: user.accessToken, body: { quantity: 1 } }), 404, 'CART.NOT_FOUND');
      assert.equal((await svc.request('DELETE', `${API}/cart/items/${a.id}`, { token: user.accessToken })).statusCode, 200);
      assert.equal((await svc.request('DELETE', `${API}/cart`, { token: user.accessToken })).statusCode, 204);
      assert.deepEqual(await productIdsIn(user.accessToken), []);
    });

    it('lets no write racing the deletion survive it', async () => {
      const user = await shopper(svc);
      const products = await Promise.all(Array.from({ length: 8 }, () => svc.product()));
      const writes = products.map((product) => svc.request('PUT', `${API}/cart/items/${product.id}`, { token: user.accessToken, body: { quantity: 1 } }));
      const deletion = svc.deliver('user.deleted', { userId: user.id, deletedAt: clock.now().toISOString() }, 'identity');
      const responses = await Promise.all(writes);
      await deletion;
      for (const response of responses) assert.ok([200, 404].includes(response.statusCode), response.body);
      assert.deepEqual(await productIdsIn(user.accessToken), []);
    });
  });
});
