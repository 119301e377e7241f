/**
 * Order and payment notifications: the buyer hears that an order was confirmed or cancelled and
 * that a payment was declined, once per event, with no actor, and nothing is kept for an erased
 * buyer.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { deliver, eventOf, givenKnownUser, heldAbout, inbox, startNotifications, type Service } from './support/notifications.ts';

describe('notifications: orders and payments', () => {
  let svc: Service;
  before(async () => {
    svc = await startNotifications();
  });
  after(async () => {
    await svc?.close();
  });

  const line = { productId: randomUUID(), quantity: 2, unitPriceCents: 1250 };
  const confirmed = (userId: string, orderId = randomUUID()) =>
    eventOf('order.confirmed', {
      orderId,
      userId,
      items: [line],
      totalCents: 2500,
      currency: 'USD',
      fromCart: false,
      createdAt: new Date().toISOString(),
      confirmedAt: new Date().toISOString(),
    });
  const cancelled = (userId: string, orderId = randomUUID()) =>
    eventOf('order.cancelled', { orderId, userId, items: [line], reason: 'payment_declined', cancelledAt: new Date().toISOString() });
  const declined = (userId: string, orderId = randomUUID()) =>
    eventOf('payment.failed', {
      paymentId: randomUUID(),
      orderId,
      userId,
      amountCents: 2500,
      currency: 'USD',
      reason: 'card_declined',
      failedAt: new Date().toISOString(),
    });

  it('tells the buyer of a confirmed order, with the order as subject and no actor', async () => {
    const buyer = await givenKnownUser(svc);
    const event = confirmed(buyer.id);
    await deliver(svc, event);
    const { items } = await inbox(svc, buyer.accessToken);
    assert.equal(items.length, 1);
    const [item] = items;
    assert.deepEqual(Object.keys(item).sort(), ['createdAt', 'id', 'read', 'status', 'subject', 'type']);
    assert.equal(item.type, 'order');
    assert.equal(item.status, 'confirmed');
    assert.deepEqual(item.subject, { type: 'order', id: event.data.orderId });
  });

  it('tells the buyer of a cancelled order and of a declined payment, newest first', async () => {
    const buyer = await givenKnownUser(svc);
    const orderId = randomUUID();
    const payment = declined(buyer.id, orderId);
    await deliver(svc, payment);
    await deliver(svc, cancelled(buyer.id, orderId));
    const { items } = await inbox(svc, buyer.accessToken);
    assert.deepEqual(
      items.map((item: { type: string; status: string; subject: { type: string; id: string } }) => [item.type, item.status, item.subject.type, item.subject.id]),
      [
        ['order', 'cancelled', 'order', orderId],
        ['payment', 'failed', 'payment', payment.data.paymentId],
      ],
    );
  });

  it('makes one notification of a redelivered event', async () => {
    const buyer = await givenKnownUser(svc);
    const event = confirmed(buyer.id);
    await deliver(svc, event);
    await deliver(svc, event);
    assert.equal((await inbox(svc, buyer.accessToken)).items.length, 1);
  });

  it('keeps nothing for a buyer whose account was erased', async () => {
    const buyer = await givenKnownUser(svc);
    await deliver(svc, eventOf('user.deleted', { userId: buyer.id, deletedAt: new Date().toISOString() }));
    await deliver(svc, confirmed(buyer.id));
    await deliver(svc, declined(buyer.id));
    assert.equal((await heldAbout(svc, buyer.id)).notifications, 0);
  });

  it('shows no status on social notifications', async () => {
    const alice = await givenKnownUser(svc);
    const bob = await givenKnownUser(svc);
    await deliver(svc, eventOf('user.followed', { followerId: bob.id, followeeId: alice.id }));
    const [item] = (await inbox(svc, alice.accessToken)).items;
    assert.equal(item.type, 'follow');
    assert.equal('status' in item, false);
  });
});
