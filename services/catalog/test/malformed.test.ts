/**
 * Bad input on every route: malformed ids, bodies that aren't JSON or aren't objects, wrong
 * types, text PostgreSQL can't store, unknown properties, oversized bodies, bad tokens and
 * query strings. Each answer is a 4xx problem+json; none of the harness's answers is a 5xx.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { GivenUser } from '@agora/kit/testing/service-harness';
import { API, startCatalog, type ProductBody, type TestCatalog } from './support/catalog.ts';

describe('catalog: malformed input', () => {
  let svc: TestCatalog;
  let seller: GivenUser;
  let admin: GivenUser;
  let product: ProductBody;
  let category: { id: string };
  before(async () => {
    svc = await startCatalog();
    seller = await svc.seller();
    admin = await svc.admin();
    product = await svc.product(seller);
    category = await svc.category();
  });
  after(async () => {
    await svc?.close();
  });

  const assert4xx = (response: { statusCode: number; headers: Record<string, unknown>; body: string }, what: string) => {
    assert.ok(response.statusCode >= 400 && response.statusCode < 500, `${what}: ${response.statusCode} ${response.body}`);
    assert.match(String(response.headers['content-type']), /application\/problem\+json/, what);
    const body = JSON.parse(response.body);
    assert.equal(body.status, response.statusCode, what);
    assert.equal(typeof body.code, 'string', what);
  };

  it('answers 4xx problem+json to every malformed request', async () => {
    const token = seller.accessToken;
    const json = { 'content-type': 'application/json' };
    const bodies: unknown[] = [
      'not json',
      '{"name": ',
      '[]',
      'null',
      '42',
      '"text"',
      { name: 'a\u0000b', description: '', priceCents: 1, stock: 1 },
      { name: 'ok', description: 'nul \u0000 inside', priceCents: 1, stock: 1 },
      { name: '\ud800', description: '', priceCents: 1, stock: 1 },
      { name: 'ok', description: '', priceCents: -1, stock: 1 },
      { name: 'ok', description: '', priceCents: 1e12, stock: 1 },
      { name: 'ok', description: '', priceCents: '100', stock: 1 },
      { name: 'ok', description: '', priceCents: 1, stock: 1e12 },
      { name: 'ok', description: '', priceCents: 1, stock: null },
      { name: 'ok', description: '', priceCents: 1, stock: 1, currency: 'usd' },
      { name: 'ok', description: '', priceCents: 1, stock: 1, currency: 'EURO' },
      { name: 'ok', description: '', priceCents: 1, stock: 1, categoryId: 'nope' },
      { name: 'ok', description: '', priceCents: 1, stock: 1, imageMediaIds: ['nope'] },
      { name: 'ok', description: '', priceCents: 1, stock: 1, imageMediaIds: [product.id, product.id] },
      { name: 'ok', description: '', priceCents: 1, stock: 1, imageMediaIds: 'x' },
      { name: 'x'.repeat(201), description: '', priceCents: 1, stock: 1 },
      { name: 'ok', description: 'x'.repeat(5001), priceCents: 1, stock: 1 },
      { name: 'ok', description: '', priceCents: 1, stock: 1, __proto__: { admin: true }, constructor: {} },
    ];
    const requests: [string, 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT', string, unknown?][] = [];
    for (const body of bodies) {
      requests.push(['create', 'POST', `${API}/products`, body]);
      requests.push(['edit', 'PATCH', `${API}/products/${product.id}`, body]);
      requests.push(['review', 'POST', `${API}/products/${product.id}/reviews`, body]);
      requests.push(['category', 'POST', `${API}/categories`, body]);
      requests.push(['rename', 'PATCH', `${API}/categories/${category.id}`, body]);
    }
    for (const id of ['nope', '123', `${randomUUID()}x`, '%00', '..%2F..', 'x'.repeat(300)]) {
      requests.push(['get product', 'GET', `${API}/products/${id}`]);
      requests.push(['edit product', 'PATCH', `${API}/products/${id}`, { name: 'x' }]);
      requests.push(['delete product', 'DELETE', `${API}/products/${id}`]);
      requests.push(['reviews', 'GET', `${API}/products/${id}/reviews`]);
      requests.push(['review', 'POST', `${API}/products/${id}/reviews`, { rating: 5 }]);
      requests.push(['rename', 'PATCH', `${API}/categories/${id}`, { name: 'x' }]);
      requests.push(['delete category', 'DELETE', `${API}/categories/${id}`]);
    }
    for (const query of ['limit=abc', 'limit=-1', 'limit=1e3', 'cursor=%FF%FE', `cursor=${'x'.repeat(600)}`, 'sort=', 'sort[]=newest', 'minPriceCents=1e30', 'q=%00', 'categoryId=', 'q=a&q=b']) {
      requests.push(['list', 'GET', `${API}/products?${query}`]);
      requests.push(['categories', 'GET', `${API}/categories?${query}`]);
      requests.push(['reviews', 'GET', `${API}/products/${product.id}/reviews?${query}`]);
    }
    requests.push(['unknown route', 'PUT', `${API}/products/${product.id}`, { name: 'x' }]);

    for (const [what, method, url, body] of requests) {
      const options = typeof body === 'string' ? { token, body, headers: json } : body === undefined ? { token } : { token, body };
      assert4xx(await svc.request(method, url, options), `${what} ${method} ${url} ${JSON.stringify(body)?.slice(0, 80)}`);
      if (method !== 'GET' && (url.includes('categories') || body !== undefined)) {
        assert4xx(await svc.request(method, url, { ...options, token: admin.accessToken }), `admin ${what} ${method} ${url}`);
      }
    }
  });

  it('answers 401 to a bad or malformed token on every route, public ones included', async () => {
    const routes: ['GET' | 'POST' | 'PATCH' | 'DELETE', string, unknown?][] = [
      ['GET', `${API}/products`],
      ['GET', `${API}/products/${product.id}`],
      ['POST', `${API}/products`, { name: 'x', description: '', priceCents: 1, stock: 1 }],
      ['PATCH', `${API}/products/${product.id}`, { name: 'x' }],
      ['DELETE', `${API}/products/${product.id}`],
      ['GET', `${API}/products/${product.id}/reviews`],
      ['POST', `${API}/products/${product.id}/reviews`, { rating: 5 }],
      ['GET', `${API}/categories`],
      ['POST', `${API}/categories`, { name: 'x' }],
      ['PATCH', `${API}/categories/${category.id}`, { name: 'x' }],
      ['DELETE', `${API}/categories/${category.id}`],
    ];
    for (const [method, url, body] of routes) {
      for (const authorization of ['Bearer not-a-jwt', 'Basic abc', 'Bearer ']) {
        const response = await svc.request(method, url, { headers: { authorization }, ...(body === undefined ? {} : { body }) });
        assert.equal(response.statusCode, 401, `${method} ${url} ${authorization}: ${response.body}`);
        assert4xx(response, `${method} ${url}`);
      }
    }
  });

  it('answers 413 to an oversized body and 415 to a body that isn’t JSON', async () => {
    const huge = JSON.stringify({ name: 'x', description: 'x'.repeat(2 * 1024 * 1024), priceCents: 1, stock: 1 });
    const tooLarge = await svc.request('POST', `${API}/products`, { token: seller.accessToken, body: huge, headers: { 'content-type': 'application/json' } });
    assert.equal(tooLarge.statusCode, 413, tooLarge.body);
    assert4xx(tooLarge, 'huge');
    const text = await svc.request('POST', `${API}/products`, { token: seller.accessToken, body: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(text.statusCode, 415, text.body);
    assert4xx(text, 'form');
  });

  it('never answered a 5xx in this suite', () => {
    const failures = svc.answered.filter((answer) => answer.status >= 500);
    assert.deepEqual(failures, []);
  });
});
