/**
 * A battery of malformed requests against every route (ids, queries, bodies, methods, tokens),
 * all answered 4xx problem+json and none 5xx, and malformed events, which are refused before
 * they can charge anyone.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createEvent } from '@agora/kit/bus/outbox';
import { eventually, expectProblem } from '@agora/kit/testing/service-harness';
import { API, startPayments, type TestPayments } from './support/payments.ts';

describe('payments: bad input', () => {
  let svc: TestPayments;
  before(async () => {
    svc = await startPayments();
  });
  after(async () => {
    await svc?.close();
  });

  it('answers malformed ids, queries, bodies, methods and tokens with 4xx problem+json, and nothing with 5xx', async () => {
    const user = await svc.given.user();
    const payment = await svc.paidOrder(user.id);
    const token = user.accessToken;

    const badIds = ['not-a-uuid', '%00', 'a'.repeat(5000), "1'%20or%20'1'='1", '00000000-0000-0000-0000-00000000000g', `${payment.id}x`, '%E0%A4%A', '..%2F..%2Fetc'];
    for (const id of badIds) {
      const response = await svc.request('GET', `${API}/payments/${id}`, { token });
      // Fastify refuses a path segment longer than its maxParamLength before routing: 414.
      const expected = id.length > 100 ? 414 : 400;
      assert.equal(response.statusCode, expected, `${id.slice(0, 40)}: ${response.body.slice(0, 300)}`);
      assert.match(String(response.headers['content-type']), /application\/problem\+json/);
    }
    // The nil UUID is well formed and names nothing.
    expectProblem(await svc.request('GET', `${API}/payments/00000000-0000-0000-0000-000000000000`, { token }), 404, 'PAYMENTS.NOT_FOUND');

    const queries = [
      'limit=-1',
      'limit=1e3',
      'limit=',
      'limit[]=2',
      'limit=1&limit=2',
      'cursor=%00',
      'cursor=',
      `cursor=${Buffer.from('-5').toString('base64url')}`,
      `cursor=${Buffer.from('9'.repeat(40)).toString('base64url')}`,
      `cursor=${Buffer.from(`_${randomUUID()}`).toString('base64url')}`,
      'orderId=',
      `orderId=${payment.orderId}x`,
      'userId[]=1',
      'id=1',
    ];
    for (const query of queries) {
      const response = await svc.request('GET', `${API}/payments?${query}`, { token });
      assert.equal(response.statusCode, 400, `${query}: ${response.body}`);
      assert.match(String(response.headers['content-type']), /application\/problem\+json/);
    }

    // Routes that don't exist, or methods a route doesn't take: payments are made by the saga only.
    for (const [method, url] of [
      ['POST', '/payments'],
      ['PUT', `/payments/${payment.id}`],
      ['PATCH', `/payments/${payment.id}`],
      ['DELETE', `/payments/${payment.id}`],
      ['POST', `/payments/${payment.id}/refund`],
    ] as const) {
      const response = await svc.request(method, `${API}${url}`, { token, body: { amountCents: 1 } });
      expectProblem(response, 404, 'HTTP.NOT_FOUND');
    }
    // The body is parsed before routing: an unparseable one is 400 even where no route waits for it.
    expectProblem(await svc.request('POST', `${API}/payments`, { token, body: '{not json', headers: { 'content-type': 'application/json' } }), 400, 'HTTP.MALFORMED_BODY');

    for (const authorization of ['Bearer', 'Basic dXNlcjpwYXNz', `Bearer ${'x'.repeat(5000)}`, 'Bearer a.b.c', 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.']) {
      expectProblem(await svc.request('GET', `${API}/payments`, { headers: { authorization } }), 401);
      expectProblem(await svc.request('GET', `${API}/payments/${payment.id}`, { headers: { authorization } }), 401);
    }

    // Nothing of it changed anything.
    const [row] = await svc.paymentsOf(payment.orderId);
    assert.equal(row?.status, 'succeeded');
    assert.ok(svc.answered.length > 35);
    assert.deepEqual(svc.answered.filter((entry) => entry.status >= 500), []);
  });

  it('refuses a stock.reserved that breaks its contract (an unknown payment method, a negative total) without charging', async () => {
    const before = svc.processor.charges.length;
    const orderId = randomUUID();
    const bad = [
      { ...svc.reservation({ orderId }), paymentMethod: 'pm_card_stolen' },
      { ...svc.reservation({ orderId }), totalCents: -100 },
      { ...svc.reservation({ orderId }), currency: 'usd' },
    ];
    for (const data of bad) await svc.redeliver(createEvent('stock.reserved', data, { producer: 'catalog' }));
    // Retried with backoff and then parked; what matters here is that nothing is charged meanwhile.
    await svc.settle();
    assert.equal(svc.processor.charges.length, before);
    assert.deepEqual(await svc.paymentsOf(orderId), []);
    // The order itself is untouched: a valid reservation still charges it.
    await svc.deliver('stock.reserved', svc.reservation({ orderId }), 'catalog');
    await eventually(async () => assert.equal((await svc.paymentsOf(orderId)).length, 1));
  });
});
