/**
 * Saga steps 3 and 6 as payments plays them: stock.reserved charges the order once (approved or
 * declined), order.cancelled refunds a succeeded payment once, and a cancellation that overtakes
 * the reservation means no charge ever. Every consumed event is delivered twice, concurrently,
 * and in both orders.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '@agora/kit/clock';
import { eventually } from '@agora/kit/testing/service-harness';
import { startPayments, type TestPayments } from './support/payments.ts';

describe('payments: charging and refunding orders', () => {
  // Time stands still unless a test moves it; it starts ahead so tokens are never "issued later".
  const clock = new ManualClock(new Date(Date.now() + 60_000));
  let svc: TestPayments;
  before(async () => {
    svc = await startPayments({ clock });
  });
  after(async () => {
    await svc?.close();
  });

  const chargesOf = (orderId: string) => svc.processor.charges.filter((charge) => charge.idempotencyKey === `charge_${orderId}`).length;
  const refundsOf = (paymentId: string) => svc.processor.refunds.filter((refund) => refund.idempotencyKey === `refund_${paymentId}`).length;

  describe('stock.reserved', () => {
    it('charges pm_card_ok, records a succeeded payment and announces payment.succeeded', async () => {
      const data = svc.reservation({ totalCents: 12_345, currency: 'EUR' });
      const reserved = await svc.deliver('stock.reserved', data, 'catalog');

      const [payment, ...others] = await svc.paymentsOf(data.orderId);
      assert.ok(payment);
      assert.deepEqual(others, []);
      assert.equal(payment.status, 'succeeded');
      assert.equal(payment.userId, data.userId);
      assert.equal(payment.amountCents, 12_345);
      assert.equal(payment.currency, 'EUR');
      assert.equal(payment.failureReason, null);
      assert.equal(payment.createdAt.toISOString(), clock.now().toISOString());
      assert.deepEqual(svc.processor.charges.at(-1), { method: 'pm_card_ok', amountCents: 12_345, currency: 'EUR', idempotencyKey: `charge_${data.orderId}` });

      const [event, ...more] = await svc.published('payment.succeeded', data.orderId);
      assert.deepEqual(more, []);
      assert.deepEqual(event?.data, {
        paymentId: payment.id,
        orderId: data.orderId,
        userId: data.userId,
        amountCents: 12_345,
        currency: 'EUR',
        succeededAt: clock.now().toISOString(),
      });
      // The conversation goes on: same correlation, caused by the reservation.
      assert.equal(event.correlationId, reserved.correlationId);
      assert.equal(event.causationId, reserved.id);
      assert.equal(event.producer, 'payments');
      await svc.events.waitFor('payment.succeeded', (received) => received.orderId === data.orderId);
      assert.equal((await svc.published('payment.failed', data.orderId)).length, 0);
    });

    it('declines pm_card_declined: a failed payment with reason card_declined and payment.failed', async () => {
      const data = svc.reservation({ paymentMethod: 'pm_card_declined', totalCents: 999 });
      await svc.deliver('stock.reserved', data, 'catalog');

      const [payment] = await svc.paymentsOf(data.orderId);
      assert.equal(payment?.status, 'failed');
      assert.equal(payment.failureReason, 'card_declined');
      assert.equal(payment.processorReference, null);
      const [event, ...more] = await svc.published('payment.failed', data.orderId);
      assert.deepEqual(more, []);
      assert.deepEqual(event?.data, {
        paymentId: payment.id,
        orderId: data.orderId,
        userId: data.userId,
        amountCents: 999,
        currency: 'USD',
        reason: 'card_declined',
        failedAt: clock.now().toISOString(),
      });
      await svc.events.waitFor('payment.failed', (received) => received.orderId === data.orderId);
      assert.equal((await svc.published('payment.succeeded', data.orderId)).length, 0);
    });

    it('charges a redelivered stock.reserved once', async () => {
      const data = svc.reservation();
      const reserved = await svc.deliver('stock.reserved', data, 'catalog');
      for (let i = 0; i < 3; i++) {
        await svc.redeliver(reserved);
      }
      // A second, different event for the same order (catalog re-announcing) is not a second charge either.
      await svc.deliver('stock.reserved', { ...data, reservedAt: new Date().toISOString() }, 'catalog');
      await svc.settle();

      assert.equal((await svc.paymentsOf(data.orderId)).length, 1);
      assert.equal(chargesOf(data.orderId), 1);
      assert.equal((await svc.published('payment.succeeded', data.orderId)).length, 1);
    });

    it('makes one payment and one charge when several stock.reserved for one order arrive at once', async () => {
      const data = svc.reservation();
      const envelopes = await Promise.all(Array.from({ length: 8 }, () => svc.publish('stock.reserved', { ...data }, 'catalog')));
      // The same envelope published again while the first copies are in flight, too.
      await Promise.all(envelopes.slice(0, 3).map((envelope) => svc.redeliver(envelope)));
      for (const envelope of envelopes) await svc.handled(envelope);
      await svc.settle();

      assert.equal((await svc.paymentsOf(data.orderId)).length, 1);
      assert.equal(chargesOf(data.orderId), 1);
      assert.equal((await svc.published('payment.succeeded', data.orderId)).length, 1);
      assert.equal(await svc.bus.deadLetters.count('payments'), 0);
    });

    it('keeps the payments of different orders of one user apart', async () => {
      const userId = randomUUID();
      const first = await svc.paidOrder(userId);
      const second = await svc.paidOrder(userId, { paymentMethod: 'pm_card_declined' });
      assert.notEqual(first.id, second.id);
      assert.equal(first.status, 'succeeded');
      assert.equal(second.status, 'failed');
    });
  });

  describe('order.cancelled', () => {
    it('refunds a succeeded payment once and announces payment.refunded once, even when redelivered', async () => {
      const payment = await svc.paidOrder(randomUUID(), { totalCents: 5_000 });
      clock.advance(10_000);
      const cancelled = await svc.deliver('order.cancelled', svc.cancellation(payment.orderId, payment.userId), 'orders');
      await svc.redeliver(cancelled);
      await svc.deliver('order.cancelled', svc.cancellation(payment.orderId, payment.userId, 'timed_out'), 'orders');
      await svc.settle();

      const [row] = await svc.paymentsOf(payment.orderId);
      assert.equal(row?.status, 'refunded');
      assert.equal(row.refundedAt?.toISOString(), clock.now().toISOString());
      assert.equal(row.updatedAt.toISOString(), clock.now().toISOString());
      assert.equal(row.createdAt.toISOString(), payment.createdAt.toISOString());
      assert.equal(refundsOf(payment.id), 1);
      assert.deepEqual(svc.processor.refunds.at(-1)?.chargeReference, payment.processorReference);

      const [event, ...more] = await svc.published('payment.refunded', payment.orderId);
      assert.deepEqual(more, []);
      assert.deepEqual(event?.data, {
        paymentId: payment.id,
        orderId: payment.orderId,
        userId: payment.userId,
        amountCents: 5_000,
        currency: 'USD',
        refundedAt: clock.now().toISOString(),
      });
      assert.equal(event.causationId, cancelled.id);
      assert.equal(event.correlationId, cancelled.correlationId);
      await svc.events.waitFor('payment.refunded', (received) => received.orderId === payment.orderId);
    });

    it('refunds once when several order.cancelled for one order arrive at once', async () => {
      const payment = await svc.paidOrder(randomUUID());
      const envelopes = await Promise.all(Array.from({ length: 6 }, () => svc.publish('order.cancelled', svc.cancellation(payment.orderId, payment.userId), 'orders')));
      for (const envelope of envelopes) await svc.handled(envelope);
      assert.equal((await svc.paymentsOf(payment.orderId))[0]?.status, 'refunded');
      assert.equal(refundsOf(payment.id), 1);
      assert.equal((await svc.published('payment.refunded', payment.orderId)).length, 1);
    });

    it('leaves a failed payment failed and refunds nothing', async () => {
      const payment = await svc.paidOrder(randomUUID(), { paymentMethod: 'pm_card_declined' });
      await svc.deliver('order.cancelled', svc.cancellation(payment.orderId, payment.userId, 'payment_declined'), 'orders');
      assert.equal((await svc.paymentsOf(payment.orderId))[0]?.status, 'failed');
      assert.equal(refundsOf(payment.id), 0);
      assert.equal((await svc.published('payment.refunded', payment.orderId)).length, 0);
    });

    it('before stock.reserved: the late reservation never charges, however often it comes', async () => {
      const data = svc.reservation();
      await svc.deliver('order.cancelled', svc.cancellation(data.orderId, data.userId, 'timed_out'), 'orders');
      const reserved = await svc.deliver('stock.reserved', data, 'catalog');
      await svc.redeliver(reserved);
      await svc.deliver('stock.reserved', { ...data }, 'catalog');
      await svc.settle();

      assert.deepEqual(await svc.paymentsOf(data.orderId), []);
      assert.equal(chargesOf(data.orderId), 0);
      for (const type of ['payment.succeeded', 'payment.failed', 'payment.refunded'] as const) {
        assert.equal((await svc.published(type, data.orderId)).length, 0, type);
      }
    });

    it('ends in the same state whichever of order.cancelled and stock.reserved wins when they race', async () => {
      for (let round = 0; round < 5; round++) {
        const data = svc.reservation();
        const cancellation = svc.cancellation(data.orderId, data.userId);
        const pair = round % 2 === 0
          ? [svc.publish('stock.reserved', data, 'catalog'), svc.publish('order.cancelled', cancellation, 'orders')]
          : [svc.publish('order.cancelled', cancellation, 'orders'), svc.publish('stock.reserved', data, 'catalog')];
        const envelopes = await Promise.all(pair);
        for (const envelope of envelopes) await svc.handled(envelope);

        const rows = await svc.paymentsOf(data.orderId);
        // Either the reservation came first (charged, then refunded) or the cancellation did (no charge).
        if (rows.length === 0) {
          assert.equal(chargesOf(data.orderId), 0);
          assert.equal((await svc.published('payment.succeeded', data.orderId)).length, 0);
        } else {
          assert.equal(rows.length, 1);
          assert.equal(rows[0]?.status, 'refunded');
          assert.equal((await svc.published('payment.succeeded', data.orderId)).length, 1);
          assert.equal((await svc.published('payment.refunded', data.orderId)).length, 1);
        }
      }
    });
  });

  it('never dead-letters any of it', async () => {
    await eventually(async () => assert.equal(await svc.bus.deadLetters.count('payments'), 0));
  });
});
