/**
 * user.deleted: a seller's products are deleted (each announced), a reviewer's reviews go and the
 * ratings are recomputed, and nothing about the user comes back from events that arrive later;
 * orders in flight on the deleted products still settle.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { expectProblem } from '@agora/kit/testing/service-harness';
import { authors, purchases } from '../src/db/schema.ts';
import { API, startCatalog, type TestCatalog } from './support/catalog.ts';

describe('catalog: erasing a user', () => {
  let svc: TestCatalog;
  before(async () => {
    svc = await startCatalog();
  });
  after(async () => {
    await svc?.close();
  });

  const erase = (userId: string) => svc.deliver('user.deleted', { userId, deletedAt: new Date().toISOString() }, 'identity');

  it('deletes a seller’s products, each announced once, while their orders in flight still settle', async () => {
    const seller = await svc.seller();
    const [one, two, already] = [await svc.product(seller, { stock: 5 }), await svc.product(seller, { stock: 5 }), await svc.product(seller)];
    assert.equal((await svc.request('DELETE', `${API}/products/${already.id}`, { token: seller.accessToken })).statusCode, 204);
    const order = svc.order(randomUUID(), [{ productId: one.id, quantity: 2 }]);
    await svc.deliver('order.created', order, 'orders');

    const deletion = await erase(seller.id);
    await svc.deliverAgain(deletion);
    for (const product of [one, two]) {
      expectProblem(await svc.request('GET', `${API}/products/${product.id}`), 404, 'CATALOG.PRODUCT_NOT_FOUND');
      const deleted = await svc.published('product.deleted', { productId: product.id });
      assert.equal(deleted.length, 1);
      assert.equal(deleted[0]!.data.sellerId, seller.id);
      assert.equal(deleted[0]!.causationId, deletion.id);
    }
    assert.equal((await svc.published('product.deleted', { productId: already.id })).length, 1);

    await svc.deliver('order.confirmed', svc.confirmed(order), 'orders');
    assert.deepEqual(await svc.ledger(one.id), { available: 3, reserved: 0, sold: 2, stocked: 5 });
    // A token can outlive the account for a moment: nothing new is put on sale with it.
    expectProblem(
      await svc.request('POST', `${API}/products`, { token: seller.accessToken, body: { name: 'x', description: '', priceCents: 1, stock: 1 } }),
      403,
      'CATALOG.ACCOUNT_DELETED',
    );
  });

  it('removes a reviewer’s reviews and purchases and recomputes the ratings', async () => {
    const product = await svc.product(await svc.seller());
    const [leaving, staying] = [await svc.buyerOf(product.id), await svc.buyerOf(product.id)];
    for (const [buyer, rating] of [[leaving, 1], [staying, 4]] as const) {
      assert.equal((await svc.request('POST', `${API}/products/${product.id}/reviews`, { token: buyer.accessToken, body: { rating } })).statusCode, 201);
    }
    assert.deepEqual((await svc.request('GET', `${API}/products/${product.id}`)).json().rating, { average: 2.5, count: 2 });
    await erase(leaving.id);
    assert.deepEqual((await svc.request('GET', `${API}/products/${product.id}`)).json().rating, { average: 4, count: 1 });
    const reviews = (await svc.request('GET', `${API}/products/${product.id}/reviews`)).json().items;
    assert.deepEqual(
      reviews.map((review: { author: { id: string } }) => review.author.id),
      [staying.id],
    );
    assert.equal((await svc.database.db.select().from(purchases).where(eq(purchases.userId, leaving.id))).length, 0);
    expectProblem(await svc.request('POST', `${API}/products/${product.id}/reviews`, { token: leaving.accessToken, body: { rating: 5 } }), 403, 'CATALOG.NOT_PURCHASED');
  });

  it('lets nothing about an erased user come back from events delivered late', async () => {
    const user = await svc.known(['user', 'seller']);
    const product = await svc.product(await svc.seller(), { stock: 3 });
    const order = svc.order(user.id, [{ productId: product.id, quantity: 1 }]);
    await svc.deliver('order.created', order, 'orders');
    await erase(user.id);

    await svc.deliver('user.registered', { userId: user.id, email: 'x@example.test', username: user.username, displayName: 'Back', roles: ['user'], registeredAt: new Date().toISOString() }, 'identity');
    await svc.deliver('profile.updated', { userId: user.id, username: user.username, displayName: 'Back', bio: '', avatarUrl: null }, 'users');
    const mediaId = randomUUID();
    await svc.deliver('media.uploaded', { mediaId, ownerId: user.id, url: 'http://x/m', thumbnailUrl: null, contentType: 'image/png' }, 'media');
    await svc.deliver('order.confirmed', svc.confirmed(order), 'orders');

    assert.equal((await svc.database.db.select().from(authors).where(eq(authors.id, user.id))).length, 0);
    assert.equal((await svc.database.db.select().from(purchases).where(eq(purchases.userId, user.id))).length, 0);
    // The stock still settles: the sale happened.
    assert.deepEqual(await svc.ledger(product.id), { available: 2, reserved: 0, sold: 1, stocked: 3 });
  });

  it('erases a user it never heard of without complaint, and a later user.registered stays ignored', async () => {
    const userId = randomUUID();
    await erase(userId);
    await svc.deliver('user.registered', { userId, email: 'y@example.test', username: 'late_one', displayName: 'Late', roles: ['user'], registeredAt: new Date().toISOString() }, 'identity');
    assert.equal((await svc.database.db.select().from(authors).where(eq(authors.id, userId))).length, 0);
  });
});
