/**
 * Saga timeouts: the sweeper cancels pending orders older than ORDER_PENDING_TIMEOUT_MS as
 * timed_out (an ordinary order.cancelled), leaves younger and decided orders alone, and a
 * payment that succeeds after the timeout leaves the order cancelled.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '@agora/kit/clock';
import { createLogger } from '@agora/kit/logger';
import { eventually } from '@agora/kit/testing/service-harness';
import { cancelOverdueOrders } from '../src/domain/cancel-overdue-orders.ts';
import type { OrdersContext } from '../src/domain/context.ts';
import { sagaEvents, startOrders, type OrderJson, type TestOrders } from './support/orders.ts';

describe('pending order timeouts', () => {
  // Time stands still unless a test moves it. It starts a minute ahead so tokens signed
  // meanwhile (by the real clock) are never "issued later".
  const clock = new ManualClock(new Date(Date.now() + 60_000));
  let svc: TestOrders;
  before(async () => {
    svc = await startOrders({ clock, env: { ORDER_PENDING_TIMEOUT_MS: '30000', ORDER_SWEEP_INTERVAL_MS: '20' } });
  });
  after(async () => {
    await svc?.close();
  });

  const statusOf = async (user: { accessToken: string }, order: OrderJson) => {
    const read = await svc.read(user, order.id);
    return read.status === 'cancelled' ? `cancelled:${read.cancelReason}` : read.status;
  };

  it('cancels a pending order older than the timeout as timed_out, once, and keeps it cancelled when the payment succeeds later', async () => {
    const user = await svc.given.user();
    const product = await svc.product();
    const old = await svc.order(user, [{ product, quantity: 2 }]);
    const confirmed = await svc.order(user, [{ product }]);
    await svc.deliver('payment.succeeded', sagaEvents(confirmed).paymentSucceeded, 'payments');
    clock.advance(20_000);
    const young = await svc.order(user, [{ product }]);

    clock.advance(10_001);
    await eventually(async () => assert.equal(await statusOf(user, old), 'cancelled:timed_out'));
    const [event] = await svc.published('order.cancelled', { orderId: old.id });
    assert.deepEqual(event?.data, {
      orderId: old.id,
      userId: user.id,
      items: [{ productId: product.id, quantity: 2, unitPriceCents: product.priceCents }],
      reason: 'timed_out',
      cancelledAt: clock.now().toISOString(),
    });
    // Several rounds have run by now; nothing else moved and nothing was announced twice.
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal((await svc.published('order.cancelled', { orderId: old.id })).length, 1);
    assert.equal(await statusOf(user, young), 'pending');
    assert.equal(await statusOf(user, confirmed), 'confirmed');

    await svc.deliver('payment.succeeded', sagaEvents(old).paymentSucceeded, 'payments');
    assert.equal(await statusOf(user, old), 'cancelled:timed_out');
    assert.equal((await svc.published('order.confirmed', { orderId: old.id })).length, 0);

    clock.advance(20_000);
    await eventually(async () => assert.equal(await statusOf(user, young), 'cancelled:timed_out'));
  });

  it('cancels a backlog larger than one batch, each order once, with rounds running side by side', async () => {
    const user = await svc.given.user();
    const product = await svc.product();
    const orders = await Promise.all(Array.from({ length: 45 }, () => svc.order(user, [{ product }])));
    clock.advance(30_001);
    // Rounds of "other instances" racing the app's own sweeper.
    await Promise.all([cancelOverdueOrders(svcContext()), cancelOverdueOrders(svcContext())]);
    await eventually(async () => {
      for (const order of orders) assert.equal(await statusOf(user, order), 'cancelled:timed_out');
    });
    for (const order of orders) assert.equal((await svc.published('order.cancelled', { orderId: order.id })).length, 1, order.id);
  });

  /** What a second instance of the service would sweep with: the same database and clock. */
  function svcContext(): OrdersContext {
    return {
      config: svc.config,
      database: svc.database,
      clock,
      logger: createLogger('orders', 'silent'),
      cart: { readLines: () => Promise.reject(new Error('not used')) },
    };
  }
});
