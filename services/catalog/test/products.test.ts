/**
 * API.md's product routes: who may create, change and delete a product, what the product looks
 * like, what every change announces (product.created / product.updated / product.deleted with
 * the whole product), how `stock` moves the ledger, and images from the seller's own uploads.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '@agora/kit/clock';
import { expectProblem } from '@agora/kit/testing/service-harness';
import { API, assertBalanced, startCatalog, type ProductBody, type TestCatalog } from './support/catalog.ts';

describe('catalog: products', () => {
  // Time stands still unless a test moves it, so the order of `updatedAt` can't come from the
  // clock. It starts a minute ahead so tokens signed meanwhile are never "issued later".
  const clock = new ManualClock(new Date(Date.now() + 60_000));
  let svc: TestCatalog;
  before(async () => {
    svc = await startCatalog({ clock });
  });
  after(async () => {
    await svc?.close();
  });

  const patch = (token: string, id: string, body: unknown) => svc.request('PATCH', `${API}/products/${id}`, { token, body });

  describe('POST /products', () => {
    it('puts a product on sale for a seller, with the caller as seller, USD by default, and announces product.created', async () => {
      const seller = await svc.seller();
      const response = await svc.request('POST', `${API}/products`, {
        token: seller.accessToken,
        body: { name: '  Desk lamp ', description: 'Warm light', priceCents: 2599, stock: 12 },
        headers: { 'x-request-id': 'req-catalog-1' },
      });
      assert.equal(response.statusCode, 201, response.body);
      const product = response.json<ProductBody>();
      assert.deepEqual(product, {
        id: product.id,
        sellerId: seller.id,
        name: 'Desk lamp',
        description: 'Warm light',
        priceCents: 2599,
        currency: 'USD',
        stock: 12,
        category: null,
        imageUrls: [],
        rating: { average: 0, count: 0 },
        createdAt: clock.now().toISOString(),
        updatedAt: clock.now().toISOString(),
      });
      const published = await svc.published('product.created', { productId: product.id });
      assert.equal(published.length, 1);
      assert.deepEqual(published[0]!.data, {
        productId: product.id,
        sellerId: seller.id,
        name: 'Desk lamp',
        description: 'Warm light',
        priceCents: 2599,
        currency: 'USD',
        categoryId: null,
        updatedAt: clock.now().toISOString(),
      });
      assert.equal(published[0]!.correlationId, 'req-catalog-1');
      await svc.events.waitFor('product.created', (data) => data.productId === product.id);
      assert.deepEqual((await svc.request('GET', `${API}/products/${product.id}`)).json(), product);
      assert.deepEqual(await svc.ledger(product.id), { available: 12, reserved: 0, sold: 0, stocked: 12 });
    });

    it('takes a currency, a category and images, and lets an admin sell too', async () => {
      const admin = await svc.admin();
      const category = await svc.category();
      const [one, two] = [await svc.upload(admin.id), await svc.upload(admin.id)];
      const product = await svc.product(admin, { currency: 'EUR', categoryId: category.id, imageMediaIds: [two.mediaId, one.mediaId] });
      assert.equal(product.sellerId, admin.id);
      assert.equal(product.currency, 'EUR');
      assert.deepEqual(product.category, category);
      assert.deepEqual(product.imageUrls, [two.url, one.url]);
      const [created] = await svc.published('product.created', { productId: product.id });
      assert.equal(created?.data.categoryId, category.id);
    });

    it('refuses plain users (403) and anonymous callers (401)', async () => {
      const user = await svc.known();
      const body = { name: 'x', description: '', priceCents: 1, stock: 1 };
      expectProblem(await svc.request('POST', `${API}/products`, { token: user.accessToken, body }), 403, 'AUTH.FORBIDDEN');
      expectProblem(await svc.request('POST', `${API}/products`, { body }), 401, 'AUTH.REQUIRED');
    });

    it('refuses a body naming the seller, the id or the rating (400)', async () => {
      const seller = await svc.seller();
      const body = { name: 'x', description: '', priceCents: 1, stock: 1 };
      for (const extra of [{ sellerId: seller.id }, { id: randomUUID() }, { rating: { average: 5, count: 1 } }]) {
        expectProblem(await svc.request('POST', `${API}/products`, { token: seller.accessToken, body: { ...body, ...extra } }), 400, 'VALIDATION.FAILED');
      }
    });

    it('refuses an unknown category with 400 CATALOG.UNKNOWN_CATEGORY', async () => {
      const seller = await svc.seller();
      const response = await svc.request('POST', `${API}/products`, {
        token: seller.accessToken,
        body: { name: 'x', description: '', priceCents: 1, stock: 1, categoryId: randomUUID() },
      });
      expectProblem(response, 400, 'CATALOG.UNKNOWN_CATEGORY');
      assert.equal(response.json().errors[0].path, 'body/categoryId');
    });

    it('accepts only the seller’s own uploads that still exist as images (400 CATALOG.UNKNOWN_MEDIA)', async () => {
      const seller = await svc.seller();
      const other = await svc.seller();
      const theirs = await svc.upload(other.id);
      const mine = await svc.upload(seller.id);
      const gone = await svc.upload(seller.id);
      await svc.deliver('media.deleted', { mediaId: gone.mediaId, ownerId: seller.id }, 'media');
      for (const [ids, index] of [
        [[mine.mediaId, theirs.mediaId], 1],
        [[gone.mediaId], 0],
        [[randomUUID()], 0],
      ] as const) {
        const response = await svc.request('POST', `${API}/products`, {
          token: seller.accessToken,
          body: { name: 'x', description: '', priceCents: 1, stock: 1, imageMediaIds: ids },
        });
        expectProblem(response, 400, 'CATALOG.UNKNOWN_MEDIA');
        assert.equal(response.json().errors[0].path, `body/imageMediaIds/${index}`);
      }
      const tooMany = Array.from({ length: 11 }, () => randomUUID());
      expectProblem(
        await svc.request('POST', `${API}/products`, { token: seller.accessToken, body: { name: 'x', description: '', priceCents: 1, stock: 1, imageMediaIds: tooMany } }),
        400,
        'VALIDATION.FAILED',
      );
    });

    it('drops a deleted image from imageUrls, also when its media.deleted overtook the upload', async () => {
      const seller = await svc.seller();
      const [kept, deleted] = [await svc.upload(seller.id), await svc.upload(seller.id)];
      const product = await svc.product(seller, { imageMediaIds: [kept.mediaId, deleted.mediaId] });
      await svc.deliver('media.deleted', { mediaId: deleted.mediaId, ownerId: seller.id }, 'media');
      assert.deepEqual((await svc.request('GET', `${API}/products/${product.id}`)).json().imageUrls, [kept.url]);

      const late = randomUUID();
      await svc.deliver('media.deleted', { mediaId: late, ownerId: seller.id }, 'media');
      const upload = await svc.deliver('media.uploaded', { mediaId: late, ownerId: seller.id, url: 'http://x/late', thumbnailUrl: null, contentType: 'image/png' }, 'media');
      await svc.deliverAgain(upload);
      expectProblem(
        await svc.request('POST', `${API}/products`, { token: seller.accessToken, body: { name: 'x', description: '', priceCents: 1, stock: 1, imageMediaIds: [late] } }),
        400,
        'CATALOG.UNKNOWN_MEDIA',
      );
    });
  });

  describe('GET /openapi.json', () => {
    it('documents every catalog route', async () => {
      const response = await svc.request('GET', '/openapi.json');
      assert.equal(response.statusCode, 200, response.body);
      const paths = Object.keys(response.json().paths).sort();
      assert.deepEqual(paths, [
        '/api/v1/categories',
        '/api/v1/categories/{id}',
        '/api/v1/products',
        '/api/v1/products/{id}',
        '/api/v1/products/{id}/reviews',
      ]);
    });
  });

  describe('GET /products/:id', () => {
    it('answers 404 CATALOG.PRODUCT_NOT_FOUND for an unknown product and 400 for a malformed id', async () => {
      expectProblem(await svc.request('GET', `${API}/products/${randomUUID()}`), 404, 'CATALOG.PRODUCT_NOT_FOUND');
      expectProblem(await svc.request('GET', `${API}/products/not-a-uuid`), 400, 'VALIDATION.FAILED');
    });
  });

  describe('PATCH /products/:id', () => {
    it('lets the seller change every field, answers the whole product and announces product.updated with a later updatedAt', async () => {
      const seller = await svc.seller();
      const product = await svc.product(seller);
      const category = await svc.category();
      const image = await svc.upload(seller.id);
      clock.advance(1_000);
      const response = await patch(seller.accessToken, product.id, {
        name: 'Floor lamp',
        description: 'Tall',
        priceCents: 4999,
        currency: 'GBP',
        stock: 3,
        categoryId: category.id,
        imageMediaIds: [image.mediaId],
      });
      assert.equal(response.statusCode, 200, response.body);
      const changed = response.json<ProductBody>();
      assert.deepEqual(changed, {
        ...product,
        name: 'Floor lamp',
        description: 'Tall',
        priceCents: 4999,
        currency: 'GBP',
        stock: 3,
        category,
        imageUrls: [image.url],
        updatedAt: clock.now().toISOString(),
      });
      const [updated] = await svc.published('product.updated', { productId: product.id });
      assert.deepEqual(updated?.data, {
        productId: product.id,
        sellerId: seller.id,
        name: 'Floor lamp',
        description: 'Tall',
        priceCents: 4999,
        currency: 'GBP',
        categoryId: category.id,
        updatedAt: clock.now().toISOString(),
      });

      const cleared = await patch(seller.accessToken, product.id, { categoryId: null, imageMediaIds: [] });
      assert.equal(cleared.statusCode, 200, cleared.body);
      assert.equal(cleared.json().category, null);
      assert.deepEqual(cleared.json().imageUrls, []);
      const updates = await svc.published('product.updated', { productId: product.id });
      assert.equal(updates.length, 2);
      // The clock stood still: the second change is still announced as the later one.
      assert.ok(Date.parse(updates[1]!.data.updatedAt) > Date.parse(updates[0]!.data.updatedAt));
    });

    it('sets the available units without touching what is reserved or sold, keeping the ledger balanced', async () => {
      const seller = await svc.seller();
      const product = await svc.product(seller, { stock: 10 });
      const sold = svc.order(randomUUID(), [{ productId: product.id, quantity: 3 }]);
      const held = svc.order(randomUUID(), [{ productId: product.id, quantity: 2 }]);
      await svc.deliver('order.created', sold, 'orders');
      await svc.deliver('order.confirmed', svc.confirmed(sold), 'orders');
      await svc.deliver('order.created', held, 'orders');
      assert.deepEqual(await svc.ledger(product.id), { available: 5, reserved: 2, sold: 3, stocked: 10 });

      assert.equal((await patch(seller.accessToken, product.id, { stock: 0 })).json().stock, 0);
      assert.deepEqual(await svc.ledger(product.id), { available: 0, reserved: 2, sold: 3, stocked: 5 });
      assert.equal((await patch(seller.accessToken, product.id, { stock: 20 })).json().stock, 20);
      assert.deepEqual(await svc.ledger(product.id), { available: 20, reserved: 2, sold: 3, stocked: 25 });

      await svc.deliver('order.cancelled', svc.cancelled(held), 'orders');
      assertBalanced(await svc.ledger(product.id));
      assert.deepEqual(await svc.ledger(product.id), { available: 22, reserved: 0, sold: 3, stocked: 25 });
      expectProblem(await patch(seller.accessToken, product.id, { stock: -1 }), 400, 'VALIDATION.FAILED');
    });

    it('lets an admin change anyone’s product; another user gets 403 CATALOG.FORBIDDEN and changes nothing', async () => {
      const seller = await svc.seller();
      const product = await svc.product(seller);
      const stranger = await svc.seller();
      expectProblem(await patch(stranger.accessToken, product.id, { name: 'mine now' }), 403, 'CATALOG.FORBIDDEN');
      expectProblem(await patch((await svc.known()).accessToken, product.id, { name: 'mine now' }), 403, 'CATALOG.FORBIDDEN');
      assert.equal((await svc.published('product.updated', { productId: product.id })).length, 0);
      const byAdmin = await patch((await svc.admin()).accessToken, product.id, { priceCents: 1 });
      assert.equal(byAdmin.statusCode, 200, byAdmin.body);
      assert.equal(byAdmin.json().sellerId, seller.id);
    });

    it('checks images against the product’s seller when an admin changes them', async () => {
      const seller = await svc.seller();
      const product = await svc.product(seller);
      const admin = await svc.admin();
      const adminUpload = await svc.upload(admin.id);
      const sellerUpload = await svc.upload(seller.id);
      expectProblem(await patch(admin.accessToken, product.id, { imageMediaIds: [adminUpload.mediaId] }), 400, 'CATALOG.UNKNOWN_MEDIA');
      assert.deepEqual((await patch(admin.accessToken, product.id, { imageMediaIds: [sellerUpload.mediaId] })).json().imageUrls, [sellerUpload.url]);
    });

    it('answers 404 for unknown and deleted products, 400 for an unknown category, an empty body or fields it doesn’t own, 401 without a token', async () => {
      const seller = await svc.seller();
      const product = await svc.product(seller);
      expectProblem(await patch(seller.accessToken, randomUUID(), { name: 'x' }), 404, 'CATALOG.PRODUCT_NOT_FOUND');
      expectProblem(await patch(seller.accessToken, product.id, { categoryId: randomUUID() }), 400, 'CATALOG.UNKNOWN_CATEGORY');
      expectProblem(await patch(seller.accessToken, product.id, {}), 400, 'VALIDATION.FAILED');
      expectProblem(await patch(seller.accessToken, product.id, { sellerId: randomUUID() }), 400, 'VALIDATION.FAILED');
      expectProblem(await patch(seller.accessToken, product.id, { stock: 1.5 }), 400, 'VALIDATION.FAILED');
      expectProblem(await svc.request('PATCH', `${API}/products/${product.id}`, { body: { name: 'x' } }), 401, 'AUTH.REQUIRED');
      assert.equal((await svc.request('DELETE', `${API}/products/${product.id}`, { token: seller.accessToken })).statusCode, 204);
      expectProblem(await patch(seller.accessToken, product.id, { name: 'x' }), 404, 'CATALOG.PRODUCT_NOT_FOUND');
    });
  });

  describe('DELETE /products/:id', () => {
    it('soft-deletes for the seller: 204, 404 afterwards, announced once with product.deleted', async () => {
      const seller = await svc.seller();
      const product = await svc.product(seller);
      const response = await svc.request('DELETE', `${API}/products/${product.id}`, { token: seller.accessToken });
      assert.equal(response.statusCode, 204);
      assert.equal(response.body, '');
      expectProblem(await svc.request('GET', `${API}/products/${product.id}`), 404, 'CATALOG.PRODUCT_NOT_FOUND');
      expectProblem(await svc.request('DELETE', `${API}/products/${product.id}`, { token: seller.accessToken }), 404, 'CATALOG.PRODUCT_NOT_FOUND');
      const deleted = await svc.published('product.deleted', { productId: product.id });
      assert.equal(deleted.length, 1);
      assert.deepEqual(deleted[0]!.data, { productId: product.id, sellerId: seller.id, deletedAt: clock.now().toISOString() });
      const list = (await svc.request('GET', `${API}/products?limit=100`)).json();
      assert.ok(!list.items.some((item: ProductBody) => item.id === product.id));
    });

    it('lets an admin delete; another user gets 403, anonymous 401, unknown 404', async () => {
      const product = await svc.product(await svc.seller());
      expectProblem(await svc.request('DELETE', `${API}/products/${product.id}`, { token: (await svc.seller()).accessToken }), 403, 'CATALOG.FORBIDDEN');
      expectProblem(await svc.request('DELETE', `${API}/products/${product.id}`), 401, 'AUTH.REQUIRED');
      expectProblem(await svc.request('DELETE', `${API}/products/${randomUUID()}`, { token: (await svc.admin()).accessToken }), 404, 'CATALOG.PRODUCT_NOT_FOUND');
      assert.equal((await svc.request('DELETE', `${API}/products/${product.id}`, { token: (await svc.admin()).accessToken })).statusCode, 204);
    });
  });
});
