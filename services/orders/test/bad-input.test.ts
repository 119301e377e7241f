/**
 * Malformed input on every route answers 4xx problem+json, never 5xx; and the OpenAPI document
 * names every status each route answers.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { expectProblem } from '@agora/kit/testing/service-harness';
import { API, address, startOrders, type TestOrders } from './support/orders.ts';

describe('orders: bad input', () => {
  let svc: TestOrders;
  before(async () => {
    svc = await startOrders();
  });
  after(async () => {
    await svc?.close();
  });

  it('answers 4xx, never 5xx, to malformed ids, bodies, keys, cursors and content', async () => {
    const user = await svc.given.user();
    const product = await svc.product();
    const order = await svc.order(user, [{ product }]);
    const json = { 'content-type': 'application/json' };
    const key = () => ({ 'idempotency-key': randomUUID() });
    const good = { shippingAddress: address, paymentMethod: 'pm_card_ok', items: [{ productId: product.id, quantity: 1 }] };
    const cases: [method: 'GET' | 'POST', url: string, body?: unknown, headers?: Record<string, string>][] = [
      ['GET', `${API}/orders/%00`],
      ['GET', `${API}/orders/${'a'.repeat(5000)}`],
      ['GET', `${API}/orders/${randomUUID().toUpperCase()}x`],
      ['GET', `${API}/orders/%2e%2e`],
      ['GET', `${API}/orders?limit=-1`],
      ['GET', `${API}/orders?limit=1e999`],
      ['GET', `${API}/orders?limit=1&limit=2`],
      ['GET', `${API}/orders?cursor=${'A'.repeat(600)}`],
      ['GET', `${API}/orders?cursor=%ZZ`],
      ['GET', `${API}/orders?cursor=${Buffer.from('99999999999999999999').toString('base64url')}`],
      ['GET', `${API}/orders?cursor=${Buffer.from('-1').toString('base64url')}`],
      ['GET', `${API}/orders?cursor=${Buffer.from('\u0000').toString('base64url')}`],
      ['GET', `${API}/orders?userId[]=x`],
      ['POST', `${API}/orders/${order.id}x/cancel`],
      ['POST', `${API}/orders/${order.id}/cancel`, '{not json', json],
      ['POST', `${API}/orders/${order.id}/cancel`, '<cancel/>', { 'content-type': 'application/xml' }],
      ['POST', `${API}/orders`, '{not json', { ...json, ...key() }],
      ['POST', `${API}/orders`, '', { ...json, ...key() }],
      ['POST', `${API}/orders`, 'null', { ...json, ...key() }],
      ['POST', `${API}/orders`, '[]', { ...json, ...key() }],
      ['POST', `${API}/orders`, '"order"', { ...json, ...key() }],
      ['POST', `${API}/orders`, 'items=1', { 'content-type': 'application/x-www-form-urlencoded', ...key() }],
      ['POST', `${API}/orders`, JSON.stringify({ ...good, shippingAddress: { ...address, name: 'x'.repeat(2 * 1024 * 1024) } }), { ...json, ...key() }],
      ['POST', `${API}/orders`, { ...good, shippingAddress: { ...address, name: 'nul \u0000 inside' } }, key()],
      ['POST', `${API}/orders`, '{"shippingAddress":{"name":"half \\ud800 pair","line1":"a","city":"b","postalCode":"c","country":"d"},"paymentMethod":"pm_card_ok"}', { ...json, ...key() }],
      ['POST', `${API}/orders`, { ...good, shippingAddress: { ...address, name: { $gt: '' } } }, key()],
      ['POST', `${API}/orders`, { ...good, items: [{ productId: product.id, quantity: 1e20 }] }, key()],
      ['POST', `${API}/orders`, { ...good, items: [{ productId: product.id, quantity: -1 }] }, key()],
      ['POST', `${API}/orders`, { ...good, items: [null] }, key()],
      ['POST', `${API}/orders`, { ...good, items: 'all' }, key()],
      ['POST', `${API}/orders`, { ...good, paymentMethod: ['pm_card_ok'] }, key()],
      ['POST', `${API}/orders`, { __proto__: { paymentMethod: 'pm_card_ok' }, shippingAddress: address }, key()],
      ['POST', `${API}/orders`, { ...good, constructor: { prototype: {} } }, key()],
      ['POST', `${API}/orders`, good, { 'idempotency-key': 'k'.repeat(10_000) }],
      ['POST', `${API}/orders`, good, {}],
    ];
    for (const [method, url, body, headers] of cases) {
      const response = await svc.request(method, url, { token: user.accessToken, ...(body === undefined ? {} : { body }), ...(headers ? { headers } : {}) });
      assert.ok(response.statusCode >= 400 && response.statusCode < 500, `${method} ${url} ${String(body).slice(0, 80)}: ${response.statusCode} ${response.body}`);
      assert.match(String(response.headers['content-type']), /application\/problem\+json/);
    }
    expectProblem(await svc.request('POST', `${API}/orders/${order.id}/cancel`, { token: user.accessToken, body: '<cancel/>', headers: { 'content-type': 'application/xml' } }), 415);
    // Half a surrogate pair is not text; a whole one (an emoji) is.
    const emoji = await svc.request('POST', `${API}/orders`, { token: user.accessToken, body: { ...good, shippingAddress: { ...address, name: 'whole 😀 pair' } }, headers: key() });
    assert.equal(emoji.statusCode, 201, emoji.body);
    assert.equal(emoji.json().shippingAddress.name, 'whole 😀 pair');
    assert.equal((await svc.read(user, order.id)).status, 'pending');
  });

  it('documents every route with every status it answers', async () => {
    const response = await svc.request('GET', '/openapi.json');
    assert.equal(response.statusCode, 200, response.body);
    const paths = response.json().paths;
    const statuses = (path: string, method: string) => Object.keys(paths[path][method].responses).sort();
    assert.deepEqual(statuses('/api/v1/orders', 'post'), ['201', '400', '401', '404', '409', '413', '415', '422', '503']);
    assert.deepEqual(statuses('/api/v1/orders', 'get'), ['200', '400', '401', '403']);
    assert.deepEqual(statuses('/api/v1/orders/{id}', 'get'), ['200', '400', '401', '404']);
    assert.deepEqual(statuses('/api/v1/orders/{id}/cancel', 'post'), ['200', '400', '401', '404', '409', '413', '415']);
    assert.deepEqual(svc.answered.filter((entry) => entry.status >= 500), []);
  });
});
