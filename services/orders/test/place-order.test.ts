/**
 * POST /orders from explicit items: prices and names from the catalog projection (never the
 * client), order.created in the same transaction, and the refusals (unknown or deleted
 * products, mixed currencies, bad bodies).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { expectProblem } from '@agora/kit/testing/service-harness';
import { API, address, startOrders, type TestOrders } from './support/orders.ts';

describe('POST /orders with items', () => {
  let svc: TestOrders;
  before(async () => {
    svc = await startOrders();
  });
  after(async () => {
    await svc?.close();
  });

  const ordersOf = async (token: string) => (await svc.request('GET', `${API}/orders`, { token })).json<{ items: unknown[] }>().items;

  it('creates a pending order priced by the catalog and announces it once with order.created', async () => {
    const user = await svc.given.user();
    const teapot = await svc.product({ name: 'Teapot', priceCents: 1_999 });
    const cups = await svc.product({ name: 'Cups', priceCents: 450 });
    const response = await svc.place(
      user,
      { shippingAddress: { ...address, line2: 'Flat 3' }, paymentMethod: 'pm_card_ok', items: [{ productId: teapot.id, quantity: 1 }, { productId: cups.id, quantity: 4 }] },
      { headers: { 'x-request-id': 'req-orders-1' } },
    );
    assert.equal(response.statusCode, 201, response.body);
    assert.equal(response.headers['idempotent-replayed'], undefined);
    const order = response.json();
    assert.equal(response.headers['location'], `/api/v1/orders/${order.id}`);
    assert.deepEqual(
      { ...order, id: undefined, createdAt: undefined, updatedAt: undefined },
      {
        id: undefined,
        userId: user.id,
        status: 'pending',
        items: [
          { productId: teapot.id, name: 'Teapot', unitPriceCents: 1_999, quantity: 1 },
          { productId: cups.id, name: 'Cups', unitPriceCents: 450, quantity: 4 },
        ],
        totalCents: 1_999 + 4 * 450,
        currency: 'USD',
        paymentMethod: 'pm_card_ok',
        shippingAddress: { ...address, line2: 'Flat 3' },
        createdAt: undefined,
        updatedAt: undefined,
      },
    );
    assert.equal(order.cancelReason, undefined);
    assert.equal(order.createdAt, order.updatedAt);

    const published = await svc.published('order.created', { orderId: order.id });
    assert.equal(published.length, 1);
    assert.equal(published[0]!.correlationId, 'req-orders-1');
    assert.deepEqual(published[0]!.data, {
      orderId: order.id,
      userId: user.id,
      items: [
        { productId: teapot.id, quantity: 1, unitPriceCents: 1_999 },
        { productId: cups.id, quantity: 4, unitPriceCents: 450 },
      ],
      totalCents: 3_799,
      currency: 'USD',
      paymentMethod: 'pm_card_ok',
      fromCart: false,
      createdAt: order.createdAt,
    });
    const event = await svc.events.waitFor('order.created', (data) => data.orderId === order.id);
    assert.equal(event.producer, 'orders');
    assert.deepEqual(await svc.read(user, order.id), order);
  });

  it('refuses every price, owner or state field in the body with 400 and creates nothing', async () => {
    const user = await svc.given.user();
    const product = await svc.product();
    const line = { productId: product.id, quantity: 1 };
    const bodies = [
      { shippingAddress: address, paymentMethod: 'pm_card_ok', items: [{ ...line, unitPriceCents: 1 }] },
      { shippingAddress: address, paymentMethod: 'pm_card_ok', items: [{ ...line, priceCents: 1 }] },
      { shippingAddress: address, paymentMethod: 'pm_card_ok', items: [{ ...line, name: 'cheap' }] },
      { shippingAddress: address, paymentMethod: 'pm_card_ok', items: [line], totalCents: 1 },
      { shippingAddress: address, paymentMethod: 'pm_card_ok', items: [line], price: 1 },
      { shippingAddress: address, paymentMethod: 'pm_card_ok', items: [line], currency: 'EUR' },
      { shippingAddress: address, paymentMethod: 'pm_card_ok', items: [line], status: 'confirmed' },
      { shippingAddress: address, paymentMethod: 'pm_card_ok', items: [line], sellerId: randomUUID() },
      { shippingAddress: address, paymentMethod: 'pm_card_ok', items: [line], userId: randomUUID() },
      { shippingAddress: { ...address, phone: '123' }, paymentMethod: 'pm_card_ok', items: [line] },
    ];
    for (const body of bodies) {
      const response = await svc.place(user, body);
      expectProblem(response, 400, 'VALIDATION.FAILED');
      assert.match(response.json().errors[0].message, /not a known property/, JSON.stringify(body));
    }
    assert.deepEqual(await ordersOf(user.accessToken), []);
    assert.equal((await svc.published('order.created', { userId: user.id })).length, 0);
  });

  it('validates the address, payment method and lines', async () => {
    const user = await svc.given.user();
    const product = await svc.product();
    const line = { productId: product.id, quantity: 1 };
    const { line1: _line1, ...withoutLine1 } = address;
    const bodies: unknown[] = [
      {},
      { paymentMethod: 'pm_card_ok', items: [line] },
      { shippingAddress: address, items: [line] },
      { shippingAddress: withoutLine1, paymentMethod: 'pm_card_ok', items: [line] },
      { shippingAddress: { ...address, name: '' }, paymentMethod: 'pm_card_ok', items: [line] },
      { shippingAddress: { ...address, city: '   ' }, paymentMethod: 'pm_card_ok', items: [line] },
      { shippingAddress: { ...address, line2: '' }, paymentMethod: 'pm_card_ok', items: [line] },
      { shippingAddress: { ...address, postalCode: 'x'.repeat(21) }, paymentMethod: 'pm_card_ok', items: [line] },
      { shippingAddress: { ...address, country: 44 }, paymentMethod: 'pm_card_ok', items: [line] },
      { shippingAddress: 'London', paymentMethod: 'pm_card_ok', items: [line] },
      { shippingAddress: address, paymentMethod: 'pm_card_visa', items: [line] },
      { shippingAddress: address, paymentMethod: '', items: [line] },
      { shippingAddress: address, paymentMethod: null, items: [line] },
      { shippingAddress: address, paymentMethod: 'pm_card_ok', items: [] },
      { shippingAddress: address, paymentMethod: 'pm_card_ok', items: [{ ...line, quantity: 0 }] },
      { shippingAddress: address, paymentMethod: 'pm_card_ok', items: [{ ...line, quantity: 100 }] },
      { shippingAddress: address, paymentMethod: 'pm_card_ok', items: [{ ...line, quantity: 1.5 }] },
      { shippingAddress: address, paymentMethod: 'pm_card_ok', items: [{ ...line, quantity: '1' }] },
      { shippingAddress: address, paymentMethod: 'pm_card_ok', items: [{ productId: 'teapot', quantity: 1 }] },
      { shippingAddress: address, paymentMethod: 'pm_card_ok', items: [{ quantity: 1 }] },
      { shippingAddress: address, paymentMethod: 'pm_card_ok', items: Array.from({ length: 51 }, () => ({ productId: randomUUID(), quantity: 1 })) },
      { shippingAddress: address, paymentMethod: 'pm_card_ok', items: line },
    ];
    for (const body of bodies) expectProblem(await svc.place(user, body as Record<string, unknown>), 400, 'VALIDATION.FAILED');
    assert.deepEqual(await ordersOf(user.accessToken), []);
  });

  it('refuses two lines of one product with 400 naming the repeated line', async () => {
    const user = await svc.given.user();
    const product = await svc.product();
    const other = await svc.product();
    const response = await svc.place(user, {
      shippingAddress: address,
      paymentMethod: 'pm_card_ok',
      items: [{ productId: product.id, quantity: 1 }, { productId: other.id, quantity: 1 }, { productId: product.id, quantity: 2 }],
    });
    expectProblem(response, 400, 'VALIDATION.FAILED');
    assert.deepEqual(response.json().errors, [{ path: 'body/items/2/productId', message: 'repeats the product of an earlier line' }]);
    assert.deepEqual(await ordersOf(user.accessToken), []);
  });

  it('takes 50 lines and quantities up to 99, and a line2-less address', async () => {
    const user = await svc.given.user();
    const products = await Promise.all(Array.from({ length: 50 }, () => svc.product({ priceCents: 100 })));
    const order = await svc.order(user, products.map((product, index) => ({ product, quantity: index === 0 ? 99 : 1 })));
    assert.equal(order.items.length, 50);
    assert.equal(order.totalCents, 99 * 100 + 49 * 100);
    assert.equal(order.shippingAddress['line2'], undefined);
  });

  it('answers 404 ORDER.PRODUCT_NOT_FOUND naming the unknown products in detail', async () => {
    const user = await svc.given.user();
    const known = await svc.product();
    const unknownA = randomUUID();
    const unknownB = randomUUID();
    const response = await svc.place(user, {
      shippingAddress: address,
      paymentMethod: 'pm_card_ok',
      items: [{ productId: unknownA, quantity: 1 }, { productId: known.id, quantity: 1 }, { productId: unknownB, quantity: 1 }],
    });
    expectProblem(response, 404, 'ORDER.PRODUCT_NOT_FOUND');
    assert.match(response.json().detail, new RegExp(unknownA));
    assert.match(response.json().detail, new RegExp(unknownB));
    assert.doesNotMatch(response.json().detail, new RegExp(known.id));
    assert.deepEqual(await ordersOf(user.accessToken), []);
  });

  it('answers 409 ORDER.CURRENCY_MISMATCH for products in two currencies', async () => {
    const user = await svc.given.user();
    const dollars = await svc.product({ currency: 'USD' });
    const euros = await svc.product({ currency: 'EUR' });
    const response = await svc.place(user, {
      shippingAddress: address,
      paymentMethod: 'pm_card_ok',
      items: [{ productId: dollars.id, quantity: 1 }, { productId: euros.id, quantity: 1 }],
    });
    expectProblem(response, 409, 'ORDER.CURRENCY_MISMATCH');
    assert.deepEqual(await ordersOf(user.accessToken), []);
    const order = await svc.order(user, [{ product: euros, quantity: 2 }]);
    assert.equal(order.currency, 'EUR');
  });

  it('answers 401 without a token, before looking at the key or body', async () => {
    const response = await svc.request('POST', `${API}/orders`, { body: { nonsense: true } });
    expectProblem(response, 401, 'AUTH.REQUIRED');
  });
});

describe('the catalog projection', () => {
  let svc: TestOrders;
  before(async () => {
    svc = await startOrders();
  });
  after(async () => {
    await svc?.close();
  });

  const changed = (product: { id: string; sellerId: string }, fields: { name: string; priceCents: number; updatedAt: Date; currency?: string }) => ({
    productId: product.id,
    sellerId: product.sellerId,
    name: fields.name,
    description: '',
    priceCents: fields.priceCents,
    currency: fields.currency ?? 'USD',
    categoryId: null,
    updatedAt: fields.updatedAt.toISOString(),
  });

  it('prices new orders at the newest product.updated, ignoring older ones delivered late, and keeps old orders as they were', async () => {
    const user = await svc.given.user();
    const product = await svc.product({ name: 'Kettle', priceCents: 3_000 });
    const first = await svc.order(user, [{ product }]);
    const later = new Date(Date.now() + 60_000);
    await svc.deliver('product.updated', changed(product, { name: 'Kettle II', priceCents: 3_500, updatedAt: later }), 'catalog');
    await svc.deliver('product.updated', changed(product, { name: 'Kettle (old)', priceCents: 10, updatedAt: new Date(later.getTime() - 1_000) }), 'catalog');
    const second = await svc.order(user, [{ product, quantity: 2 }]);
    assert.deepEqual(second.items, [{ productId: product.id, name: 'Kettle II', unitPriceCents: 3_500, quantity: 2 }]);
    assert.equal(second.totalCents, 7_000);
    assert.deepEqual((await svc.read(user, first.id)).items, [{ productId: product.id, name: 'Kettle', unitPriceCents: 3_000, quantity: 1 }]);
  });

  it('takes a product.updated that overtook its product.created, and an upper-cased currency', async () => {
    const user = await svc.given.user();
    const product = { id: randomUUID(), sellerId: randomUUID() };
    const now = Date.now();
    await svc.deliver('product.updated', changed(product, { name: 'Newer', priceCents: 200, updatedAt: new Date(now + 1_000), currency: 'eur' }), 'catalog');
    const created = await svc.deliver('product.created', changed(product, { name: 'Older', priceCents: 100, updatedAt: new Date(now) }), 'catalog');
    await svc.redeliver(created);
    await svc.handled(created);
    const order = await svc.order(user, [{ product: { ...product, name: '', priceCents: 0, currency: '' } }]);
    assert.deepEqual(order.items[0], { productId: product.id, name: 'Newer', unitPriceCents: 200, quantity: 1 });
    assert.equal(order.currency, 'EUR');
  });

  it('refuses a deleted product with 404, even when a product.updated or product.created comes after the deletion', async () => {
    const user = await svc.given.user();
    const product = await svc.product();
    const deleted = await svc.deliver('product.deleted', { productId: product.id, sellerId: product.sellerId, deletedAt: new Date().toISOString() }, 'catalog');
    await svc.deliver('product.updated', changed(product, { name: 'Back', priceCents: 1, updatedAt: new Date(Date.now() + 60_000) }), 'catalog');
    await svc.redeliver(deleted);
    const response = await svc.place(user, { shippingAddress: address, paymentMethod: 'pm_card_ok', items: [{ productId: product.id, quantity: 1 }] });
    expectProblem(response, 404, 'ORDER.PRODUCT_NOT_FOUND');
    assert.match(response.json().detail, new RegExp(product.id));

    const early = { id: randomUUID(), sellerId: randomUUID() };
    await svc.deliver('product.deleted', { productId: early.id, sellerId: early.sellerId, deletedAt: new Date().toISOString() }, 'catalog');
    await svc.deliver('product.created', changed(early, { name: 'Late', priceCents: 1, updatedAt: new Date() }), 'catalog');
    expectProblem(
      await svc.place(user, { shippingAddress: address, paymentMethod: 'pm_card_ok', items: [{ productId: early.id, quantity: 1 }] }),
      404,
      'ORDER.PRODUCT_NOT_FOUND',
    );
  });
});
