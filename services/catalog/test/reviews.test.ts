/**
 * Reviews: only buyers with a confirmed order (order.confirmed makes one, order.cancelled takes
 * it back), once each, never the seller; the product's rating follows at once; lists are newest
 * first with the author's current summary.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createEvent } from '@agora/kit/bus/outbox';
import { expectProblem } from '@agora/kit/testing/service-harness';
import { API, startCatalog, type TestCatalog } from './support/catalog.ts';

interface ReviewBody {
  id: string;
  productId: string;
  author: { id: string; username: string; displayName: string; avatarUrl: string | null };
  rating: number;
  text: string | null;
  createdAt: string;
}

describe('catalog: reviews', () => {
  let svc: TestCatalog;
  before(async () => {
    svc = await startCatalog();
  });
  after(async () => {
    await svc?.close();
  });

  const review = (token: string, productId: string, body: unknown) => svc.request('POST', `${API}/products/${productId}/reviews`, { token, body });
  const ratingOf = async (productId: string) => (await svc.request('GET', `${API}/products/${productId}`)).json().rating;

  describe('POST /products/:id/reviews', () => {
    it('lets a buyer with a confirmed order review once (201) and moves the product’s rating', async () => {
      const product = await svc.product(await svc.seller());
      const buyer = await svc.buyerOf(product.id);
      const response = await review(buyer.accessToken, product.id, { rating: 4, text: '  Bright and solid  ' });
      assert.equal(response.statusCode, 201, response.body);
      const body = response.json<ReviewBody>();
      assert.deepEqual(body, {
        id: body.id,
        productId: product.id,
        author: { id: buyer.id, username: buyer.username, displayName: buyer.displayName, avatarUrl: null },
        rating: 4,
        text: 'Bright and solid',
        createdAt: body.createdAt,
      });
      assert.deepEqual(await ratingOf(product.id), { average: 4, count: 1 });

      expectProblem(await review(buyer.accessToken, product.id, { rating: 1 }), 409, 'CATALOG.ALREADY_REVIEWED');
      assert.deepEqual(await ratingOf(product.id), { average: 4, count: 1 });

      const second = await svc.buyerOf(product.id);
      assert.equal((await review(second.accessToken, product.id, { rating: 1 })).statusCode, 201);
      const third = await svc.buyerOf(product.id);
      assert.equal((await review(third.accessToken, product.id, { rating: 2 })).statusCode, 201);
      assert.deepEqual(await ratingOf(product.id), { average: 2.33, count: 3 });
    });

    it('counts two simultaneous reviews by one buyer once', async () => {
      const product = await svc.product(await svc.seller());
      const buyer = await svc.buyerOf(product.id);
      const responses = await Promise.all([review(buyer.accessToken, product.id, { rating: 5 }), review(buyer.accessToken, product.id, { rating: 3 })]);
      assert.deepEqual(responses.map((response) => response.statusCode).sort(), [201, 409]);
      assert.equal((await ratingOf(product.id)).count, 1);
    });

    it('refuses users without a confirmed order: none, only reserved, or cancelled after confirmation (403 CATALOG.NOT_PURCHASED)', async () => {
      const product = await svc.product(await svc.seller());
      const stranger = await svc.known();
      expectProblem(await review(stranger.accessToken, product.id, { rating: 5 }), 403, 'CATALOG.NOT_PURCHASED');

      const pending = await svc.known();
      await svc.deliver('order.created', svc.order(pending.id, [{ productId: product.id, quantity: 1 }]), 'orders');
      expectProblem(await review(pending.accessToken, product.id, { rating: 5 }), 403, 'CATALOG.NOT_PURCHASED');

      const regretful = await svc.known();
      const order = svc.order(regretful.id, [{ productId: product.id, quantity: 1 }]);
      await svc.deliver('order.created', order, 'orders');
      await svc.deliver('order.confirmed', svc.confirmed(order), 'orders');
      await svc.deliver('order.cancelled', svc.cancelled(order), 'orders');
      expectProblem(await review(regretful.accessToken, product.id, { rating: 5 }), 403, 'CATALOG.NOT_PURCHASED');
      assert.deepEqual(await ratingOf(product.id), { average: 0, count: 0 });
    });

    it('keeps a purchase made in another order when one order of the product is cancelled', async () => {
      const product = await svc.product(await svc.seller());
      const buyer = await svc.known();
      const [kept, cancelled] = [0, 1].map(() => svc.order(buyer.id, [{ productId: product.id, quantity: 1 }]));
      for (const order of [kept!, cancelled!]) {
        await svc.deliver('order.created', order, 'orders');
        await svc.deliver('order.confirmed', svc.confirmed(order), 'orders');
      }
      await svc.deliver('order.cancelled', svc.cancelled(cancelled!), 'orders');
      assert.equal((await review(buyer.accessToken, product.id, { rating: 5 })).statusCode, 201);
    });

    it('refuses the seller reviewing their own product (403 CATALOG.OWN_PRODUCT)', async () => {
      const seller = await svc.seller();
      const product = await svc.product(seller);
      const order = svc.order(seller.id, [{ productId: product.id, quantity: 1 }]);
      await svc.deliver('order.created', order, 'orders');
      await svc.deliver('order.confirmed', svc.confirmed(order), 'orders');
      expectProblem(await review(seller.accessToken, product.id, { rating: 5 }), 403, 'CATALOG.OWN_PRODUCT');
    });

    it('answers 404 for unknown or deleted products, 401 without a token, 400 for a bad body', async () => {
      const seller = await svc.seller();
      const product = await svc.product(seller);
      const buyer = await svc.buyerOf(product.id);
      expectProblem(await review(buyer.accessToken, randomUUID(), { rating: 5 }), 404, 'CATALOG.PRODUCT_NOT_FOUND');
      expectProblem(await svc.request('POST', `${API}/products/${product.id}/reviews`, { body: { rating: 5 } }), 401, 'AUTH.REQUIRED');
      for (const body of [{}, { rating: 0 }, { rating: 6 }, { rating: 4.5 }, { rating: '5' }, { rating: 5, text: 'x'.repeat(2001) }, { rating: 5, author: buyer.id }]) {
        expectProblem(await review(buyer.accessToken, product.id, body), 400, 'VALIDATION.FAILED');
      }
      assert.equal((await svc.request('DELETE', `${API}/products/${product.id}`, { token: seller.accessToken })).statusCode, 204);
      expectProblem(await review(buyer.accessToken, product.id, { rating: 5 }), 404, 'CATALOG.PRODUCT_NOT_FOUND');
    });
  });

  describe('GET /products/:id/reviews', () => {
    it('lists reviews newest first, paged, with the author’s latest profile', async () => {
      const product = await svc.product(await svc.seller());
      const written: ReviewBody[] = [];
      for (let i = 0; i < 5; i++) {
        const buyer = await svc.buyerOf(product.id);
        const response = await review(buyer.accessToken, product.id, i % 2 === 0 ? { rating: 1 + i, text: `review ${i}` } : { rating: 1 + i });
        written.push(response.json());
      }
      const seen: ReviewBody[] = [];
      let cursor: string | null = null;
      do {
        const response = await svc.request('GET', `${API}/products/${product.id}/reviews?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        assert.equal(response.statusCode, 200, response.body);
        const page: { items: ReviewBody[]; nextCursor: string | null } = response.json();
        seen.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      assert.deepEqual(seen, [...written].reverse());
      assert.equal(seen.at(-1)!.text, 'review 0');
      assert.equal(seen.at(-2)!.text, null);

      const author = written[0]!.author;
      await svc.deliver('profile.updated', { userId: author.id, username: author.username, displayName: 'Renamed', bio: '', avatarUrl: 'http://x/a.png' }, 'users');
      const last = (await svc.request('GET', `${API}/products/${product.id}/reviews?limit=100`)).json().items.at(-1);
      assert.deepEqual(last.author, { id: author.id, username: author.username, displayName: 'Renamed', avatarUrl: 'http://x/a.png' });
    });

    it('keeps the newest profile when an older profile.updated arrives late', async () => {
      const product = await svc.product(await svc.seller());
      const buyer = await svc.buyerOf(product.id);
      assert.equal((await review(buyer.accessToken, product.id, { rating: 3 })).statusCode, 201);
      const older = createEvent('profile.updated', { userId: buyer.id, username: buyer.username, displayName: 'Old name', bio: '', avatarUrl: null }, { producer: 'users' });
      older.occurredAt = new Date(Date.now() - 60_000).toISOString();
      await svc.deliver('profile.updated', { userId: buyer.id, username: buyer.username, displayName: 'New name', bio: '', avatarUrl: null }, 'users');
      await svc.redeliver(older);
      await svc.handled(older);
      await svc.redeliver(older);
      const [item] = (await svc.request('GET', `${API}/products/${product.id}/reviews`)).json().items;
      assert.equal(item.author.displayName, 'New name');
    });

    it('answers 404 for unknown or deleted products and 400 for malformed ids and cursors', async () => {
      expectProblem(await svc.request('GET', `${API}/products/${randomUUID()}/reviews`), 404, 'CATALOG.PRODUCT_NOT_FOUND');
      expectProblem(await svc.request('GET', `${API}/products/nope/reviews`), 400, 'VALIDATION.FAILED');
      const product = await svc.product(await svc.seller());
      expectProblem(await svc.request('GET', `${API}/products/${product.id}/reviews?cursor=abc`), 400, 'VALIDATION.FAILED');
      expectProblem(await svc.request('GET', `${API}/products/${product.id}/reviews?limit=0`), 400, 'VALIDATION.FAILED');
    });
  });
});
