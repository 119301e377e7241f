/**
 * POST /orders without items: the order is made of the buyer's cart, read from the cart service
 * (here a stand-in on 127.0.0.1) with the buyer's own token, priced by the catalog projection.
 * An empty cart is the request's fault (400, kept on the key); a cart that can't be read is an
 * outage (503, the key is released so the retry works).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { expectProblem } from '@agora/kit/testing/service-harness';
import { startCartStub, type CartAnswer, type CartStub } from './support/cart-stub.ts';
import { API, address, startOrders, type TestOrders } from './support/orders.ts';

describe('POST /orders from the cart', () => {
  let cart: CartStub;
  let svc: TestOrders;
  before(async () => {
    cart = await startCartStub();
    svc = await startOrders({ env: { CART_URL: cart.url, CART_TIMEOUT_MS: '300' } });
  });
  after(async () => {
    await svc?.close();
    await cart?.close();
  });

  const fromCart = { shippingAddress: address, paymentMethod: 'pm_card_ok' };
  const ordersOf = async (token: string) => (await svc.request('GET', `${API}/orders`, { token })).json<{ items: unknown[] }>().items;

  it('orders what the cart holds at the catalog’s prices, reading the cart with the buyer’s token, and says fromCart', async () => {
    const user = await svc.given.user();
    const mug = await svc.product({ name: 'Mug', priceCents: 800 });
    const jar = await svc.product({ name: 'Jar', priceCents: 300 });
    cart.holds([{ productId: mug.id, quantity: 2 }, { productId: jar.id, quantity: 1 }]);
    const callsBefore = cart.calls.length;
    const response = await svc.place(user, fromCart);
    assert.equal(response.statusCode, 201, response.body);
    const order = response.json();
    assert.deepEqual(order.items, [
      { productId: mug.id, name: 'Mug', unitPriceCents: 800, quantity: 2 },
      { productId: jar.id, name: 'Jar', unitPriceCents: 300, quantity: 1 },
    ]);
    assert.equal(order.totalCents, 1_900);
    assert.deepEqual(cart.calls.slice(callsBefore), [{ path: '/api/v1/cart', authorization: `Bearer ${user.accessToken}` }]);
    const [created] = await svc.published('order.created', { orderId: order.id });
    assert.equal(created?.data.fromCart, true);
    assert.equal(created?.data.totalCents, 1_900);
  });

  it('answers 400 ORDER.CART_EMPTY for an empty cart and replays it for the same key', async () => {
    const user = await svc.given.user();
    cart.holds([]);
    const key = randomUUID();
    expectProblem(await svc.place(user, fromCart, { key }), 400, 'ORDER.CART_EMPTY');
    const product = await svc.product();
    cart.holds([{ productId: product.id, quantity: 1 }]);
    const replay = await svc.place(user, fromCart, { key });
    expectProblem(replay, 400, 'ORDER.CART_EMPTY');
    assert.equal(replay.headers['idempotent-replayed'], 'true');
    assert.deepEqual(await ordersOf(user.accessToken), []);
  });

  it('answers 404 for a cart line whose product the catalog no longer sells', async () => {
    const user = await svc.given.user();
    const gone = randomUUID();
    cart.holds([{ productId: gone, quantity: 1 }]);
    const response = await svc.place(user, fromCart);
    expectProblem(response, 404, 'ORDER.PRODUCT_NOT_FOUND');
    assert.match(response.json().detail, new RegExp(gone));
  });

  it('answers 503 ORDER.CART_UNAVAILABLE when the cart fails, is slow or answers nonsense, and releases the key so a retry succeeds', async () => {
    const user = await svc.given.user();
    const product = await svc.product();
    const key = randomUUID();
    const failures: CartAnswer[] = [
      (_request, response) => response.writeHead(500).end(),
      (_request, response) => response.writeHead(401, { 'content-type': 'application/problem+json' }).end('{}'),
      (_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end('{"items": "many"}'),
      (_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end('{"items": [{"productId": "x", "quantity": 1}]}'),
      (_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end('not json'),
      () => undefined, // never answers: the timeout decides
    ];
    for (const failure of failures) {
      cart.answer(failure);
      const response = await svc.place(user, fromCart, { key });
      expectProblem(response, 503, 'ORDER.CART_UNAVAILABLE');
      assert.equal(response.headers['retry-after'], '1');
    }
    assert.deepEqual(await ordersOf(user.accessToken), []);

    cart.holds([{ productId: product.id, quantity: 3 }]);
    const retry = await svc.place(user, fromCart, { key });
    assert.equal(retry.statusCode, 201, retry.body);
    assert.equal(retry.headers['idempotent-replayed'], undefined);
    assert.equal(retry.json().items[0].quantity, 3);
  });

  it('answers 503 when nothing listens at CART_URL', async () => {
    const down = await startOrders({ env: { CART_URL: 'http://127.0.0.1:9' } });
    try {
      const user = await down.given.user();
      expectProblem(await down.place(user, fromCart), 503, 'ORDER.CART_UNAVAILABLE');
    } finally {
      await down.close();
    }
  });

  it('does not read the cart when the body names the items', async () => {
    const user = await svc.given.user();
    const product = await svc.product();
    const callsBefore = cart.calls.length;
    const order = await svc.order(user, [{ product }]);
    assert.equal(cart.calls.length, callsBefore);
    const [created] = await svc.published('order.created', { orderId: order.id });
    assert.equal(created?.data.fromCart, false);
  });
});
