/**
 * Malformed input on every cart route: ids, queries, bodies, content types, sizes and tokens are
 * answered 4xx problem+json, never 5xx, and change nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { expectProblem } from '@agora/kit/testing/service-harness';
import { API, shopper, startCart, type TestCart } from './support/cart.ts';

describe('cart: bad input', () => {
  let svc: TestCart;
  before(async () => {
    svc = await startCart();
  });
  after(async () => {
    await svc?.close();
  });

  it('answers malformed ids, queries, bodies and tokens with 4xx on every route, and nothing with 5xx', async () => {
    const user = await shopper(svc);
    const teapot = await svc.product();
    await svc.put(user.accessToken, teapot.id, 2);
    const json = { 'content-type': 'application/json' };

    const badIds = ['not-a-uuid', '%00', 'a'.repeat(5000), "1'%20or%20'1'='1", '00000000-0000-0000-0000-00000000000g', `${teapot.id}x`, '%E0%A4%A'];
    for (const method of ['PUT', 'DELETE'] as const) {
      for (const id of badIds) {
        const response = await svc.request(method, `${API}/cart/items/${id}`, { token: user.accessToken, body: { quantity: 1 } });
        // Fastify refuses a path segment longer than its maxParamLength before routing: 414.
        const expected = id.length > 100 ? 414 : 400;
        assert.equal(response.statusCode, expected, `${method} ${id.slice(0, 40)}: ${response.body.slice(0, 300)}`);
        if (expected === 400) expectProblem(response, 400);
      }
    }
    // The nil UUID is well formed and names no product.
    expectProblem(await svc.request('PUT', `${API}/cart/items/00000000-0000-0000-0000-000000000000`, { token: user.accessToken, body: { quantity: 1 } }), 404, 'CART.PRODUCT_NOT_FOUND');

    const routes = [
      ['GET', `${API}/cart`],
      ['PUT', `${API}/cart/items/${teapot.id}`],
      ['DELETE', `${API}/cart/items/${teapot.id}`],
      ['DELETE', `${API}/cart`],
    ] as const;
    for (const [method, url] of routes) {
      for (const query of ['unknown=1', 'userId=00000000-0000-0000-0000-000000000000', 'limit=5']) {
        expectProblem(await svc.request(method, `${url}?${query}`, { token: user.accessToken, body: { quantity: 1 } }), 400, 'VALIDATION.FAILED');
      }
      for (const authorization of ['Bearer', 'Basic dXNlcjpwYXNz', `Bearer ${'x'.repeat(5000)}`, 'Bearer a.b.c', 'Bearer ']) {
        expectProblem(await svc.request(method, url, { headers: { authorization } }), 401);
      }
    }

    const put = `${API}/cart/items/${teapot.id}`;
    for (const method of ['PUT', 'DELETE'] as const) {
      for (const url of [put, `${API}/cart`]) {
        if (method === 'PUT' && url !== put) continue;
        expectProblem(await svc.request(method, url, { token: user.accessToken, body: '{not json', headers: json }), 400, 'HTTP.MALFORMED_BODY');
        expectProblem(await svc.request(method, url, { token: user.accessToken, body: '<quantity>1</quantity>', headers: { 'content-type': 'application/xml' } }), 415, 'HTTP.UNSUPPORTED_MEDIA_TYPE');
        expectProblem(await svc.request(method, url, { token: user.accessToken, body: JSON.stringify({ pad: 'x'.repeat(1_100_000) }), headers: json }), 413, 'HTTP.PAYLOAD_TOO_LARGE');
      }
    }
    expectProblem(await svc.request('PUT', put, { token: user.accessToken }), 400);
    expectProblem(await svc.request('PUT', put, { token: user.accessToken, body: '', headers: json }), 400);
    for (const body of ['{"quantity":1e400}', '{"quantity":"1"}', '{"quantity":true}', '{"quantity":[1]}', '{"quantity":{"$gt":0}}', '{"quantity":9007199254740993}', '{"__proto__":{"quantity":1}}', '{"quantity":1,"userId":"x"}', 'null']) {
      expectProblem(await svc.request('PUT', put, { token: user.accessToken, body, headers: json }), 400);
    }
    expectProblem(await svc.request('POST', `${API}/cart`, { token: user.accessToken, body: { quantity: 1 } }), 404, 'HTTP.NOT_FOUND');
    expectProblem(await svc.request('PATCH', put, { token: user.accessToken, body: { quantity: 1 } }), 404, 'HTTP.NOT_FOUND');

    // None of it changed anything.
    assert.deepEqual((await svc.cartOf(user.accessToken)).items.map((line) => [line.productId, line.quantity]), [[teapot.id, 2]]);
    assert.ok(svc.answered.length > 60);
    assert.deepEqual(svc.answered.filter((entry) => entry.status >= 500), []);
  });
});
