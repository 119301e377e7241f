/**
 * The products projection as carts show it: product.created / product.updated applied only when
 * newer than what is held, whatever the order of arrival; product.deleted as a tombstone that
 * drops the product's lines from every cart and that late events never undo; duplicates.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { expectProblem } from '@agora/kit/testing/service-harness';
import { API, productEvent, shopper, startCart, type TestCart, type TestProduct } from './support/cart.ts';

describe('cart: products projection', () => {
  let svc: TestCart;
  before(async () => {
    svc = await startCart();
  });
  after(async () => {
    await svc?.close();
  });

  const later = (product: TestProduct, ms: number) => new Date(Date.parse(product.updatedAt) + ms).toISOString();
  const update = (product: TestProduct, changes: Partial<TestProduct>, ms = 1000) =>
    svc.deliver('product.updated', productEvent({ ...product, ...changes, updatedAt: later(product, ms) }), 'catalog');
  const deletion = (product: TestProduct, ms = 1000) =>
    ({ productId: product.id, sellerId: product.sellerId, deletedAt: later(product, ms) }) as const;
  const fresh = (): TestProduct => ({ id: randomUUID(), sellerId: randomUUID(), name: 'Kettle', priceCents: 3000, currency: 'USD', updatedAt: new Date().toISOString() });

  it('shows the current name and price of a line’s product after product.updated', async () => {
    const user = await shopper(svc);
    const kettle = await svc.product({ name: 'Kettle', priceCents: 3000 });
    await svc.put(user.accessToken, kettle.id, 2);
    await update(kettle, { name: 'Steel kettle', priceCents: 2500 });
    const cart = await svc.cartOf(user.accessToken);
    assert.deepEqual(cart.items.map((line) => [line.name, line.unitPriceCents, line.lineTotalCents]), [['Steel kettle', 2500, 5000]]);
    assert.equal(cart.totalCents, 5000);
  });

  it('keeps the newer version when product.updated arrives before product.created', async () => {
    const user = await shopper(svc);
    const kettle = fresh();
    await update(kettle, { name: 'Renamed', priceCents: 10 });
    // A product known only from its update can go in a cart.
    assert.equal((await svc.put(user.accessToken, kettle.id, 1)).items[0]!.name, 'Renamed');
    await svc.deliver('product.created', productEvent(kettle), 'catalog');
    assert.deepEqual((await svc.cartOf(user.accessToken)).items.map((line) => [line.name, line.unitPriceCents]), [['Renamed', 10]]);
  });

  it('ignores an update older than the version it holds', async () => {
    const user = await shopper(svc);
    const kettle = await svc.product({ name: 'v1' });
    await update(kettle, { name: 'v3' }, 3000);
    await update(kettle, { name: 'v2' }, 2000);
    await update(kettle, { name: 'v3 again, same time' }, 3000);
    assert.equal((await svc.put(user.accessToken, kettle.id, 1)).items[0]!.name, 'v3');
  });

  it('keeps a product deleted when product.deleted arrives before its product.created or product.updated', async () => {
    const user = await shopper(svc);
    const kettle = fresh();
    await svc.deliver('product.deleted', deletion(kettle, 1000), 'catalog');
    await update(kettle, { name: 'Back?' }, 5000);
    await svc.deliver('product.created', productEvent(kettle), 'catalog');
    expectProblem(await svc.request('PUT', `${API}/cart/items/${kettle.id}`, { token: user.accessToken, body: { quantity: 1 } }), 404, 'CART.PRODUCT_NOT_FOUND');
  });

  it('drops a deleted product’s lines from every cart and nothing else, and a late update brings nothing back', async () => {
    const [ann, ben] = [await shopper(svc), await shopper(svc)];
    const [kettle, cup] = [await svc.product(), await svc.product()];
    for (const user of [ann, ben]) {
      await svc.put(user.accessToken, kettle.id, 1);
      await svc.put(user.accessToken, cup.id, 2);
    }
    await svc.deliver('product.deleted', deletion(kettle), 'catalog');
    await update(kettle, { name: 'Zombie' }, 9000);
    for (const user of [ann, ben]) {
      assert.deepEqual((await svc.cartOf(user.accessToken)).items.map((line) => line.productId), [cup.id]);
    }
    expectProblem(await svc.request('PUT', `${API}/cart/items/${kettle.id}`, { token: ann.accessToken, body: { quantity: 1 } }), 404, 'CART.PRODUCT_NOT_FOUND');
  });

  it('takes duplicate deliveries of every product event as harmless', async () => {
    const user = await shopper(svc);
    const kettle = fresh();
    const created = await svc.deliver('product.created', productEvent(kettle), 'catalog');
    const updated = await update(kettle, { name: 'Updated', priceCents: 1 });
    await svc.redeliver(created);
    await svc.redeliver(updated);
    // Not the same envelope, the same data: idempotent by the rule, not only by the event id.
    await svc.deliver('product.created', productEvent(kettle), 'catalog');
    await svc.deliver('product.updated', updated.data, 'catalog');
    await svc.put(user.accessToken, kettle.id, 1);
    assert.deepEqual((await svc.cartOf(user.accessToken)).items.map((line) => [line.name, line.unitPriceCents]), [['Updated', 1]]);

    const deleted = await svc.deliver('product.deleted', deletion(kettle, 2000), 'catalog');
    await svc.redeliver(deleted);
    await svc.deliver('product.deleted', deletion(kettle, 3000), 'catalog');
    assert.deepEqual((await svc.cartOf(user.accessToken)).items, []);
  });

  it('shows each line’s currency when a product changes currency in a cart, totals the cart’s currency only and refuses writes until it is one currency again', async () => {
    const user = await shopper(svc);
    const [kettle, cup] = [await svc.product({ priceCents: 100 }), await svc.product({ priceCents: 10 })];
    await svc.put(user.accessToken, kettle.id, 1);
    await svc.put(user.accessToken, cup.id, 1);
    await update(cup, { currency: 'EUR' });
    const cart = await svc.cartOf(user.accessToken);
    assert.deepEqual(cart.items.map((line) => line.currency), ['USD', 'EUR']);
    assert.equal(cart.currency, 'USD');
    assert.equal(cart.totalCents, 100);
    for (const product of [kettle, cup]) {
      expectProblem(await svc.request('PUT', `${API}/cart/items/${product.id}`, { token: user.accessToken, body: { quantity: 2 } }), 409, 'CART.CURRENCY_MISMATCH');
    }
    await svc.request('DELETE', `${API}/cart/items/${cup.id}`, { token: user.accessToken });
    assert.equal((await svc.put(user.accessToken, kettle.id, 2)).totalCents, 200);
  });
});
