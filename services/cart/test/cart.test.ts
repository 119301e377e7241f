/**
 * API.md's cart routes: reading, setting and removing lines, emptying the cart, the one-currency
 * and 100-line rules (also when writes to one cart race), and the empty cart's currency setting.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '@agora/kit/config';
import { expectProblem } from '@agora/kit/testing/service-harness';
import { CartConfig } from '../src/config.ts';
import { API, shopper, startCart, type TestCart } from './support/cart.ts';

describe('cart: routes', () => {
  let svc: TestCart;
  before(async () => {
    svc = await startCart();
  });
  after(async () => {
    await svc?.close();
  });

  const item = (productId: string) => `${API}/cart/items/${productId}`;

  describe('GET /cart', () => {
    it('answers an empty cart in USD for a user who never wrote to it', async () => {
      const user = await shopper(svc);
      assert.deepEqual(await svc.cartOf(user.accessToken), { items: [], totalCents: 0, currency: 'USD' });
    });

    it('needs a token (401)', async () => {
      expectProblem(await svc.request('GET', `${API}/cart`), 401, 'AUTH.REQUIRED');
      expectProblem(await svc.request('GET', `${API}/cart`, { token: 'not.a.token' }), 401);
    });

    it('shows only the caller’s own cart', async () => {
      const [ann, ben] = [await shopper(svc), await shopper(svc)];
      const teapot = await svc.product();
      await svc.put(ann.accessToken, teapot.id, 2);
      assert.deepEqual((await svc.cartOf(ben.accessToken)).items, []);
      assert.equal((await svc.cartOf(ann.accessToken)).items.length, 1);
    });
  });

  describe('PUT /cart/items/:productId', () => {
    it('adds a line with the product’s name and price and answers the whole cart', async () => {
      const user = await shopper(svc);
      const teapot = await svc.product({ name: 'Teapot', priceCents: 1250 });
      const cart = await svc.put(user.accessToken, teapot.id, 3);
      assert.equal(cart.items.length, 1);
      const [line] = cart.items;
      assert.deepEqual({ ...line, updatedAt: undefined }, {
        productId: teapot.id,
        name: 'Teapot',
        unitPriceCents: 1250,
        quantity: 3,
        lineTotalCents: 3750,
        currency: 'USD',
        updatedAt: undefined,
      });
      assert.ok(!Number.isNaN(Date.parse(line!.updatedAt)));
      assert.equal(cart.totalCents, 3750);
      assert.equal(cart.currency, 'USD');
      assert.deepEqual(await svc.cartOf(user.accessToken), cart);
    });

    it('sets the quantity rather than adding to it, and keeps the lines in the order they were added', async () => {
      const user = await shopper(svc);
      const [a, b] = [await svc.product({ priceCents: 100 }), await svc.product({ priceCents: 7 })];
      await svc.put(user.accessToken, a.id, 5);
      await svc.put(user.accessToken, b.id, 1);
      const cart = await svc.put(user.accessToken, a.id, 2);
      assert.deepEqual(cart.items.map((line) => [line.productId, line.quantity, line.lineTotalCents]), [
        [a.id, 2, 200],
        [b.id, 1, 7],
      ]);
      assert.equal(cart.totalCents, 207);
    });

    it('accepts quantities 1 and 99 and refuses 0, 100, fractions, text and a missing or extra field with 400', async () => {
      const user = await shopper(svc);
      const teapot = await svc.product();
      assert.equal((await svc.put(user.accessToken, teapot.id, 1)).items[0]!.quantity, 1);
      assert.equal((await svc.put(user.accessToken, teapot.id, 99)).items[0]!.quantity, 99);
      for (const body of [{ quantity: 0 }, { quantity: 100 }, { quantity: -1 }, { quantity: 1.5 }, { quantity: '2' }, { quantity: null }, {}, { quantity: 2, priceCents: 1 }, [], 'x', 5]) {
        const response = await svc.request('PUT', item(teapot.id), { token: user.accessToken, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
        expectProblem(response, 400);
      }
      assert.equal((await svc.cartOf(user.accessToken)).items[0]!.quantity, 99);
    });

    it('answers 404 CART.PRODUCT_NOT_FOUND for a product it never heard of and for a deleted one', async () => {
      const user = await shopper(svc);
      expectProblem(await svc.request('PUT', item(randomUUID()), { token: user.accessToken, body: { quantity: 1 } }), 404, 'CART.PRODUCT_NOT_FOUND');
      const gone = await svc.product();
      await svc.deliver('product.deleted', { productId: gone.id, sellerId: gone.sellerId, deletedAt: new Date().toISOString() }, 'catalog');
      expectProblem(await svc.request('PUT', item(gone.id), { token: user.accessToken, body: { quantity: 1 } }), 404, 'CART.PRODUCT_NOT_FOUND');
      assert.deepEqual((await svc.cartOf(user.accessToken)).items, []);
    });

    it('refuses a product in another currency than the cart’s lines with 409 CART.CURRENCY_MISMATCH', async () => {
      const user = await shopper(svc);
      const [euro, dollar] = [await svc.product({ currency: 'EUR', priceCents: 900 }), await svc.product({ currency: 'USD' })];
      const cart = await svc.put(user.accessToken, euro.id, 1);
      assert.equal(cart.currency, 'EUR');
      assert.equal(cart.totalCents, 900);
      expectProblem(await svc.request('PUT', item(dollar.id), { token: user.accessToken, body: { quantity: 1 } }), 409, 'CART.CURRENCY_MISMATCH');
      // The line's own product is no conflict, and once the cart is empty any currency goes.
      assert.equal((await svc.put(user.accessToken, euro.id, 4)).items[0]!.quantity, 4);
      await svc.request('DELETE', item(euro.id), { token: user.accessToken });
      assert.equal((await svc.put(user.accessToken, dollar.id, 1)).currency, 'USD');
    });

    it('lets exactly one of two products in different currencies into an empty cart when both race', async () => {
      const user = await shopper(svc);
      const [euro, dollar] = [await svc.product({ currency: 'EUR' }), await svc.product({ currency: 'USD' })];
      // A cart that already exists, so nothing but the cart's lock makes the two take turns.
      await svc.put(user.accessToken, euro.id, 1);
      assert.equal((await svc.request('DELETE', `${API}/cart`, { token: user.accessToken })).statusCode, 204);
      const responses = await Promise.all([euro, dollar].map((product) => svc.request('PUT', item(product.id), { token: user.accessToken, body: { quantity: 1 } })));
      assert.deepEqual(responses.map((response) => response.statusCode).sort(), [200, 409]);
      assert.equal((await svc.cartOf(user.accessToken)).items.length, 1);
    });

    it('holds at most 100 lines: a 101st is 409 CART.TOO_MANY_LINES, changing one of the 100 is fine', async () => {
      const user = await shopper(svc);
      const products = await Promise.all(Array.from({ length: 101 }, () => svc.product({ priceCents: 1 })));
      for (const product of products.slice(0, 100)) await svc.put(user.accessToken, product.id, 1);
      const extra = products[100]!;
      expectProblem(await svc.request('PUT', item(extra.id), { token: user.accessToken, body: { quantity: 1 } }), 409, 'CART.TOO_MANY_LINES');
      const cart = await svc.put(user.accessToken, products[0]!.id, 3);
      assert.equal(cart.items.length, 100);
      assert.equal(cart.totalCents, 102);
      await svc.request('DELETE', item(products[1]!.id), { token: user.accessToken });
      assert.equal((await svc.put(user.accessToken, extra.id, 1)).items.length, 100);
    });

    it('stops at 100 lines when new lines race for the last places', async () => {
      const user = await shopper(svc);
      const products = await Promise.all(Array.from({ length: 126 }, () => svc.product({ priceCents: 1 })));
      for (const product of products.slice(0, 96)) await svc.put(user.accessToken, product.id, 1);
      const responses = await Promise.all(products.slice(96).map((product) => svc.request('PUT', item(product.id), { token: user.accessToken, body: { quantity: 1 } })));
      const statuses = responses.map((response) => response.statusCode);
      assert.equal(statuses.filter((status) => status === 200).length, 4, String(statuses));
      assert.equal(statuses.filter((status) => status === 409).length, 26, String(statuses));
      assert.equal((await svc.cartOf(user.accessToken)).items.length, 100);
    });

    it('needs a token (401)', async () => {
      const teapot = await svc.product();
      expectProblem(await svc.request('PUT', item(teapot.id), { body: { quantity: 1 } }), 401, 'AUTH.REQUIRED');
    });
  });

  describe('DELETE /cart/items/:productId', () => {
    it('removes the line and answers the cart; removing it again, or a product never added, answers the same cart', async () => {
      const user = await shopper(svc);
      const [a, b] = [await svc.product(), await svc.product()];
      await svc.put(user.accessToken, a.id, 1);
      await svc.put(user.accessToken, b.id, 2);
      for (const productId of [a.id, a.id, randomUUID()]) {
        const response = await svc.request('DELETE', item(productId), { token: user.accessToken });
        assert.equal(response.statusCode, 200, response.body);
        assert.deepEqual(response.json().items.map((line: { productId: string }) => line.productId), [b.id]);
      }
    });

    it('answers an empty cart when the last line goes', async () => {
      const user = await shopper(svc);
      const a = await svc.product({ currency: 'EUR' });
      await svc.put(user.accessToken, a.id, 1);
      const response = await svc.request('DELETE', item(a.id), { token: user.accessToken });
      assert.deepEqual(response.json(), { items: [], totalCents: 0, currency: 'USD' });
    });

    it('needs a token (401)', async () => {
      expectProblem(await svc.request('DELETE', item(randomUUID())), 401, 'AUTH.REQUIRED');
    });
  });

  describe('DELETE /cart', () => {
    it('empties the caller’s cart with 204, also when already empty, and leaves other carts alone', async () => {
      const [ann, ben] = [await shopper(svc), await shopper(svc)];
      const a = await svc.product();
      await svc.put(ann.accessToken, a.id, 1);
      await svc.put(ben.accessToken, a.id, 2);
      for (let i = 0; i < 2; i++) {
        const response = await svc.request('DELETE', `${API}/cart`, { token: ann.accessToken });
        assert.equal(response.statusCode, 204, response.body);
        assert.equal(response.body, '');
      }
      assert.deepEqual(await svc.cartOf(ann.accessToken), { items: [], totalCents: 0, currency: 'USD' });
      assert.equal((await svc.cartOf(ben.accessToken)).items[0]!.quantity, 2);
    });

    it('needs a token (401)', async () => {
      expectProblem(await svc.request('DELETE', `${API}/cart`), 401, 'AUTH.REQUIRED');
    });
  });
});

describe('cart: CART_DEFAULT_CURRENCY', () => {
  it('is the currency of an empty cart', async () => {
    const svc = await startCart({ env: { CART_DEFAULT_CURRENCY: 'EUR' } });
    try {
      const user = await shopper(svc);
      assert.deepEqual(await svc.cartOf(user.accessToken), { items: [], totalCents: 0, currency: 'EUR' });
      const teapot = await svc.product({ currency: 'GBP', priceCents: 5 });
      assert.equal((await svc.put(user.accessToken, teapot.id, 2)).currency, 'GBP');
    } finally {
      await svc.close();
    }
  });

  it('defaults to USD and refuses anything but three capital letters at start', () => {
    assert.equal(loadConfig(CartConfig, {}).CART_DEFAULT_CURRENCY, 'USD');
    for (const bad of ['usd', 'EURO', 'E1R']) assert.throws(() => loadConfig(CartConfig, { CART_DEFAULT_CURRENCY: bad }), /CART_DEFAULT_CURRENCY/);
  });
});
