/**
 * POST /orders/:id/cancel: the buyer (or an admin) cancels a pending or confirmed order, which
 * announces order.cancelled (catalog restocks, payments refunds); an order cancelled already is
 * 409, and someone else's is 404 like an unknown one.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { expectProblem } from '@agora/kit/testing/service-harness';
import { API, sagaEvents, startOrders, type TestOrders } from './support/orders.ts';

describe('POST /orders/:id/cancel', () => {
  let svc: TestOrders;
  before(async () => {
    svc = await startOrders();
  });
  after(async () => {
    await svc?.close();
  });

  const cancel = (token: string | undefined, orderId: string, headers?: Record<string, string>) =>
    svc.request('POST', `${API}/orders/${orderId}/cancel`, { ...(token ? { token } : {}), ...(headers ? { headers } : {}) });
  const placed = async () => {
    const user = await svc.given.user();
    const product = await svc.product();
    const order = await svc.order(user, [{ product, quantity: 3 }]);
    return { user, product, order };
  };

  it('cancels a pending order as cancelled_by_user and announces it once', async () => {
    const { user, product, order } = await placed();
    const response = await cancel(user.accessToken, order.id, { 'x-request-id': 'req-cancel-1' });
    assert.equal(response.statusCode, 200, response.body);
    const cancelled = response.json();
    assert.equal(cancelled.status, 'cancelled');
    assert.equal(cancelled.cancelReason, 'cancelled_by_user');
    assert.deepEqual(await svc.read(user, order.id), cancelled);
    const published = await svc.published('order.cancelled', { orderId: order.id });
    assert.equal(published.length, 1);
    assert.equal(published[0]!.correlationId, 'req-cancel-1');
    assert.deepEqual(published[0]!.data, {
      orderId: order.id,
      userId: user.id,
      items: [{ productId: product.id, quantity: 3, unitPriceCents: product.priceCents }],
      reason: 'cancelled_by_user',
      cancelledAt: cancelled.updatedAt,
    });
  });

  it('cancels a confirmed order too, so it is refunded and restocked', async () => {
    const { user, order } = await placed();
    await svc.deliver('payment.succeeded', sagaEvents(order).paymentSucceeded, 'payments');
    assert.equal((await svc.read(user, order.id)).status, 'confirmed');
    const response = await cancel(user.accessToken, order.id);
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.json().cancelReason, 'cancelled_by_user');
    assert.equal((await svc.published('order.cancelled', { orderId: order.id })).length, 1);
  });

  it('answers 409 ORDER.NOT_CANCELLABLE for an order cancelled already, by the buyer or by the saga, and announces nothing more', async () => {
    const { user, order } = await placed();
    assert.equal((await cancel(user.accessToken, order.id)).statusCode, 200);
    expectProblem(await cancel(user.accessToken, order.id), 409, 'ORDER.NOT_CANCELLABLE');
    assert.equal((await svc.published('order.cancelled', { orderId: order.id })).length, 1);

    const declined = await placed();
    await svc.deliver('payment.failed', sagaEvents(declined.order).paymentFailed, 'payments');
    expectProblem(await cancel(declined.user.accessToken, declined.order.id), 409, 'ORDER.NOT_CANCELLABLE');
    assert.equal((await svc.read(declined.user, declined.order.id)).cancelReason, 'payment_declined');
  });

  it('keeps a cancelled order cancelled when its payment succeeds afterwards', async () => {
    const { user, order } = await placed();
    assert.equal((await cancel(user.accessToken, order.id)).statusCode, 200);
    await svc.deliver('payment.succeeded', sagaEvents(order).paymentSucceeded, 'payments');
    const final = await svc.read(user, order.id);
    assert.equal(final.status, 'cancelled');
    assert.equal(final.cancelReason, 'cancelled_by_user');
    assert.equal((await svc.published('order.confirmed', { orderId: order.id })).length, 0);
  });

  it('cancels once when asked ten times at once', async () => {
    const { user, order } = await placed();
    const responses = await Promise.all(Array.from({ length: 10 }, () => cancel(user.accessToken, order.id)));
    assert.deepEqual(responses.map((response) => response.statusCode).sort(), [200, ...Array<number>(9).fill(409)]);
    assert.equal((await svc.published('order.cancelled', { orderId: order.id })).length, 1);
  });

  it('lets an admin cancel anyone’s order, and answers 404 to other users, 404 for unknown, 400 for malformed ids, 401 without a token', async () => {
    const { user, order } = await placed();
    const other = await svc.given.user();
    expectProblem(await cancel(other.accessToken, order.id), 404, 'ORDER.NOT_FOUND');
    expectProblem(await cancel(user.accessToken, randomUUID()), 404, 'ORDER.NOT_FOUND');
    expectProblem(await cancel(user.accessToken, 'not-an-id'), 400, 'VALIDATION.FAILED');
    expectProblem(await cancel(undefined, order.id), 401, 'AUTH.REQUIRED');
    assert.equal((await svc.read(user, order.id)).status, 'pending');

    const admin = await svc.given.user({ roles: ['user', 'admin'] });
    const response = await cancel(admin.accessToken, order.id);
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.json().cancelReason, 'cancelled_by_user');
  });
});
