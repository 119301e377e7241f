/**
 * GET /products: the filters (words, category, price range), the four orders, keyset pages that
 * neither repeat nor skip a product when others are added between pages, and the 400s for a bad
 * sort, price range or cursor.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { GivenUser } from '@agora/kit/testing/service-harness';
import { expectProblem } from '@agora/kit/testing/service-harness';
import { API, startCatalog, type ProductBody, type TestCatalog } from './support/catalog.ts';

interface PageBody {
  items: ProductBody[];
  nextCursor: string | null;
}

describe('catalog: listing products', () => {
  let svc: TestCatalog;
  let seller: GivenUser;
  before(async () => {
    svc = await startCatalog();
    seller = await svc.seller();
  });
  after(async () => {
    await svc?.close();
  });

  const list = async (query: string): Promise<PageBody> => {
    const response = await svc.request('GET', `${API}/products?${query}`);
    assert.equal(response.statusCode, 200, response.body);
    return response.json();
  };

  /** Every page of a list, following nextCursor. */
  const all = async (query: string, limit: number, from: string | null = null): Promise<ProductBody[]> => {
    const items: ProductBody[] = [];
    let cursor: string | null = from;
    do {
      const page: PageBody = await list(`${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      assert.ok(page.items.length <= limit);
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return items;
  };

  const ids = (items: ProductBody[]) => items.map((item) => item.id);

  /** A review of `rating` on the product by a fresh buyer. */
  const rate = async (productId: string, rating: number) => {
    const buyer = await svc.buyerOf(productId);
    const response = await svc.request('POST', `${API}/products/${productId}/reviews`, { token: buyer.accessToken, body: { rating } });
    assert.equal(response.statusCode, 201, response.body);
  };

  it('lists live products newest first, 20 by default', async () => {
    const category = await svc.category();
    const made: ProductBody[] = [];
    for (let i = 0; i < 22; i++) made.push(await svc.product(seller, { categoryId: category.id }));
    const page = await list(`categoryId=${category.id}`);
    assert.equal(page.items.length, 20);
    assert.ok(page.nextCursor);
    assert.deepEqual(ids(page.items), ids(made).reverse().slice(0, 20));
    assert.deepEqual(page.items[0], made.at(-1));
  });

  it('pages by cursor in every order without repeats or gaps, even when products are added between pages', async () => {
    const category = await svc.category();
    const prices = [500, 100, 300, 100, 900, 300, 700];
    const made: ProductBody[] = [];
    for (const priceCents of prices) made.push(await svc.product(seller, { categoryId: category.id, priceCents }));

    const newest = await all(`categoryId=${category.id}&sort=newest`, 3);
    assert.deepEqual(ids(newest), ids(made).reverse());
    const ascending = await all(`categoryId=${category.id}&sort=price_asc`, 2);
    assert.deepEqual(
      ascending.map((item) => item.priceCents),
      [...prices].sort((a, b) => a - b),
    );
    assert.equal(new Set(ids(ascending)).size, prices.length);
    const descending = await all(`categoryId=${category.id}&sort=price_desc`, 4);
    assert.deepEqual(
      descending.map((item) => item.priceCents),
      [...prices].sort((a, b) => b - a),
    );

    // A page, then new products, then the next page: the new ones (newer than the first page) don't appear in it.
    const first = await list(`categoryId=${category.id}&limit=3`);
    for (let i = 0; i < 3; i++) await svc.product(seller, { categoryId: category.id });
    const rest = await all(`categoryId=${category.id}`, 2, first.nextCursor);
    assert.deepEqual([...ids(first.items), ...ids(rest)], ids(made).reverse());
  });

  it('orders by rating: the average first, then the number of reviews; unrated last', async () => {
    const category = await svc.category();
    const [unrated, fourOnce, fourTwice, five] = [
      await svc.product(seller, { categoryId: category.id }),
      await svc.product(seller, { categoryId: category.id }),
      await svc.product(seller, { categoryId: category.id }),
      await svc.product(seller, { categoryId: category.id }),
    ];
    await rate(fourOnce.id, 4);
    await rate(fourTwice.id, 3);
    await rate(fourTwice.id, 5);
    await rate(five.id, 5);
    const rated = await all(`categoryId=${category.id}&sort=rating`, 1);
    assert.deepEqual(ids(rated), [five.id, fourTwice.id, fourOnce.id, unrated.id]);
    assert.deepEqual(rated[1]!.rating, { average: 4, count: 2 });
    assert.deepEqual(rated[3]!.rating, { average: 0, count: 0 });
  });

  it('filters by price range, bounds included', async () => {
    const category = await svc.category();
    for (const priceCents of [99, 100, 250, 400, 401]) await svc.product(seller, { categoryId: category.id, priceCents });
    const inRange = await list(`categoryId=${category.id}&minPriceCents=100&maxPriceCents=400&sort=price_asc`);
    assert.deepEqual(
      inRange.items.map((item) => item.priceCents),
      [100, 250, 400],
    );
    assert.deepEqual(
      (await list(`categoryId=${category.id}&minPriceCents=401`)).items.map((item) => item.priceCents),
      [401],
    );
    assert.deepEqual((await list(`categoryId=${randomUUID()}`)).items, []);
  });

  it('finds words in names and descriptions, by stem, and names despite a typo', async () => {
    const tag = `zq${randomUUID().slice(0, 6).replace(/[^a-z]/g, 'x')}`;
    const category = await svc.category();
    const lamp = await svc.product(seller, { categoryId: category.id, name: `Brass reading lamp ${tag}`, description: 'for the desk' });
    const chair = await svc.product(seller, { categoryId: category.id, name: `Oak chair ${tag}`, description: 'Sturdy, with armrests' });
    await svc.product(seller, { categoryId: category.id, name: `Velvet sofa ${tag}`, description: 'Three seats' });

    const found = async (q: string) => ids((await list(`categoryId=${category.id}&q=${encodeURIComponent(q)}`)).items).sort();
    assert.deepEqual(await found('lamp'), [lamp.id]);
    assert.deepEqual(await found('ARMRESTS'), [chair.id]);
    assert.deepEqual(await found('lamps'), [lamp.id]);
    assert.deepEqual(await found('chaiir'), [chair.id]);
    assert.deepEqual(await found('desk lamp'), [lamp.id]);
    assert.deepEqual(await found('"reading lamp"'), [lamp.id]);
    assert.deepEqual(await found('nothing-like-this-anywhere'), []);
    assert.deepEqual(await found(`${tag}`), [lamp.id, chair.id, (await list(`categoryId=${category.id}&q=sofa`)).items[0]!.id].sort());
    // Control characters are read as spaces, not sent to the database.
    assert.deepEqual(await found('lamp\u0000'), [lamp.id]);
  });

  it('answers 400 for a bad sort, price, range, limit, q or cursor', async () => {
    const newest = await list('limit=1');
    for (const query of [
      'sort=cheapest',
      'minPriceCents=-1',
      'maxPriceCents=abc',
      'minPriceCents=1.5',
      'minPriceCents=500&maxPriceCents=100',
      'limit=0',
      'limit=101',
      'q=',
      'q=%20%20',
      `q=${'a'.repeat(201)}`,
      'categoryId=nope',
      'cursor=garbage',
      'unknown=1',
      ...(newest.nextCursor ? [`sort=price_asc&cursor=${encodeURIComponent(newest.nextCursor)}`] : []),
    ]) {
      expectProblem(await svc.request('GET', `${API}/products?${query}`), 400, 'VALIDATION.FAILED');
    }
  });
});
