/**
 * Idempotency-Key on POST /orders, with Stripe's semantics: replays, reuse with another body,
 * requests in flight (ten at once), refusals kept and replayed, abandoned claims taken over,
 * and keys expiring and being purged.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { and, eq } from 'drizzle-orm';
import { ManualClock } from '@agora/kit/clock';
import { eventually, expectProblem } from '@agora/kit/testing/service-harness';
import { idempotencyKeys } from '../src/db/schema.ts';
import { fingerprintOf } from '../src/domain/idempotency.ts';
import { API, address, startOrders, type TestOrders } from './support/orders.ts';

describe('Idempotency-Key', () => {
  let svc: TestOrders;
  before(async () => {
    svc = await startOrders();
  });
  after(async () => {
    await svc?.close();
  });

  const ordersOf = async (token: string) => (await svc.request('GET', `${API}/orders`, { token })).json<{ items: { id: string }[] }>().items;
  const bodyFor = (productId: string, quantity = 1) => ({ shippingAddress: address, paymentMethod: 'pm_card_ok', items: [{ productId, quantity }] });

  it('replays the first response for the same key and body, marked Idempotent-Replayed, and creates nothing more', async () => {
    const user = await svc.given.user();
    const product = await svc.product();
    const key = randomUUID();
    const first = await svc.place(user, bodyFor(product.id), { key });
    assert.equal(first.statusCode, 201, first.body);
    const order = first.json();

    // The order moves on meanwhile; the replay is still the first response.
    await svc.deliver('payment.succeeded', { paymentId: randomUUID(), orderId: order.id, userId: user.id, amountCents: order.totalCents, currency: 'USD', succeededAt: new Date().toISOString() });
    for (let i = 0; i < 3; i++) {
      const again = await svc.place(user, bodyFor(product.id), { key });
      assert.equal(again.statusCode, 201, again.body);
      assert.equal(again.headers['idempotent-replayed'], 'true');
      assert.deepEqual(again.json(), order);
      assert.equal(again.headers['location'], first.headers['location']);
    }
    assert.deepEqual((await ordersOf(user.accessToken)).map((item) => item.id), [order.id]);
    assert.equal((await svc.published('order.created', { userId: user.id })).length, 1);
    assert.equal((await svc.read(user, order.id)).status, 'confirmed');
  });

  it('takes the same body with its properties in another order as the same request', async () => {
    const user = await svc.given.user();
    const product = await svc.product();
    const key = randomUUID();
    const first = await svc.place(user, { items: [{ quantity: 2, productId: product.id }], paymentMethod: 'pm_card_ok', shippingAddress: address }, { key });
    assert.equal(first.statusCode, 201, first.body);
    const reordered = { shippingAddress: Object.fromEntries(Object.entries(address).reverse()), paymentMethod: 'pm_card_ok', items: [{ productId: product.id, quantity: 2 }] };
    const again = await svc.place(user, reordered, { key });
    assert.equal(again.statusCode, 201, again.body);
    assert.equal(again.headers['idempotent-replayed'], 'true');
    assert.equal(again.json().id, first.json().id);
  });

  it('answers 422 ORDER.IDEMPOTENCY_KEY_REUSED for the same key with another body, and keeps the first response', async () => {
    const user = await svc.given.user();
    const product = await svc.product();
    const key = randomUUID();
    const first = await svc.place(user, bodyFor(product.id), { key });
    assert.equal(first.statusCode, 201, first.body);
    expectProblem(await svc.place(user, bodyFor(product.id, 2), { key }), 422, 'ORDER.IDEMPOTENCY_KEY_REUSED');
    expectProblem(await svc.place(user, { ...bodyFor(product.id), paymentMethod: 'pm_card_declined' }, { key }), 422, 'ORDER.IDEMPOTENCY_KEY_REUSED');
    expectProblem(await svc.place(user, { shippingAddress: address, paymentMethod: 'pm_card_ok' }, { key }), 422, 'ORDER.IDEMPOTENCY_KEY_REUSED');
    const replay = await svc.place(user, bodyFor(product.id), { key });
    assert.equal(replay.statusCode, 201);
    assert.equal(replay.json().id, first.json().id);
    assert.equal((await ordersOf(user.accessToken)).length, 1);
  });

  it('answers 400 ORDER.IDEMPOTENCY_KEY_REQUIRED without a key or with an empty one, before judging the body', async () => {
    const user = await svc.given.user();
    const product = await svc.product();
    expectProblem(await svc.place(user, bodyFor(product.id), { key: null }), 400, 'ORDER.IDEMPOTENCY_KEY_REQUIRED');
    expectProblem(await svc.place(user, bodyFor(product.id), { key: '' }), 400, 'ORDER.IDEMPOTENCY_KEY_REQUIRED');
    expectProblem(await svc.place(user, { junk: true }, { key: null }), 400, 'ORDER.IDEMPOTENCY_KEY_REQUIRED');
    expectProblem(await svc.place(user, bodyFor(product.id), { key: 'k'.repeat(256) }), 400, 'ORDER.IDEMPOTENCY_KEY_INVALID');
    assert.equal((await svc.place(user, bodyFor(product.id), { key: 'k'.repeat(255) })).statusCode, 201);
    assert.equal((await ordersOf(user.accessToken)).length, 1);
  });

  it('scopes keys to their user: another user’s same key is another order', async () => {
    const [ann, ben] = [await svc.given.user(), await svc.given.user()];
    const product = await svc.product();
    const key = `shared-${randomUUID()}`;
    const annOrder = await svc.place(ann, bodyFor(product.id), { key });
    const benOrder = await svc.place(ben, bodyFor(product.id, 3), { key });
    assert.equal(annOrder.statusCode, 201, annOrder.body);
    assert.equal(benOrder.statusCode, 201, benOrder.body);
    assert.equal(benOrder.headers['idempotent-replayed'], undefined);
    assert.notEqual(annOrder.json().id, benOrder.json().id);
    assert.equal(benOrder.json().userId, ben.id);
  });

  it('makes exactly one order of ten simultaneous requests with one key; the others are 409 IN_USE or replays', async () => {
    const user = await svc.given.user();
    const product = await svc.product();
    const key = randomUUID();
    const responses = await Promise.all(Array.from({ length: 10 }, () => svc.place(user, bodyFor(product.id), { key })));
    const created = responses.filter((response) => response.statusCode === 201 && response.headers['idempotent-replayed'] === undefined);
    assert.equal(created.length, 1, responses.map((response) => response.statusCode).join(','));
    for (const response of responses) {
      if (response === created[0]) continue;
      if (response.statusCode === 409) {
        expectProblem(response, 409, 'ORDER.IDEMPOTENCY_KEY_IN_USE');
        assert.equal(response.headers['retry-after'], '1');
      } else {
        assert.equal(response.statusCode, 201, response.body);
        assert.equal(response.headers['idempotent-replayed'], 'true');
        assert.deepEqual(response.json(), created[0]!.json());
      }
    }
    assert.equal((await ordersOf(user.accessToken)).length, 1);
    assert.equal((await svc.published('order.created', { userId: user.id })).length, 1);
  });

  it('keeps a refusal the request deserved and replays it, even once the request would succeed', async () => {
    const user = await svc.given.user();
    const productId = randomUUID();
    const key = randomUUID();
    const first = await svc.place(user, bodyFor(productId), { key });
    expectProblem(first, 404, 'ORDER.PRODUCT_NOT_FOUND');
    assert.equal(first.headers['idempotent-replayed'], undefined);

    await svc.deliver('product.created', {
      productId,
      sellerId: randomUUID(),
      name: 'Arrived',
      description: '',
      priceCents: 5,
      currency: 'USD',
      categoryId: null,
      updatedAt: new Date().toISOString(),
    }, 'catalog');
    const replay = await svc.place(user, bodyFor(productId), { key });
    expectProblem(replay, 404, 'ORDER.PRODUCT_NOT_FOUND');
    assert.equal(replay.headers['idempotent-replayed'], 'true');
    assert.deepEqual(replay.json(), first.json());
    assert.equal((await ordersOf(user.accessToken)).length, 0);

    assert.equal((await svc.place(user, bodyFor(productId), { key: randomUUID() })).statusCode, 201);
  });

  it('answers 409 while another request holds the key, takes over a claim abandoned longer than the claim timeout, and reuses an expired key', async () => {
    const user = await svc.given.user();
    const product = await svc.product();
    const body = bodyFor(product.id);
    const now = Date.now();
    const held = randomUUID();
    const abandoned = randomUUID();
    const expired = randomUUID();
    // Keys as a request still working, one whose process died, and an expired one not purged yet would have left them.
    await svc.database.db.insert(idempotencyKeys).values([
      { userId: user.id, key: held, fingerprint: fingerprintOf(body), state: 'in_flight', claimId: randomUUID(), claimedAt: new Date(now - 1_000), expiresAt: new Date(now + 86_400_000) },
      { userId: user.id, key: abandoned, fingerprint: fingerprintOf(body), state: 'in_flight', claimId: randomUUID(), claimedAt: new Date(now - 61_000), expiresAt: new Date(now + 86_400_000) },
      { userId: user.id, key: expired, fingerprint: 'another request', state: 'completed', claimId: randomUUID(), claimedAt: new Date(now - 86_401_000), expiresAt: new Date(now - 1_000), responseStatus: 201, responseBody: {} },
    ]);
    expectProblem(await svc.place(user, body, { key: held }), 409, 'ORDER.IDEMPOTENCY_KEY_IN_USE');
    expectProblem(await svc.place(user, bodyFor(product.id, 5), { key: held }), 422, 'ORDER.IDEMPOTENCY_KEY_REUSED');
    const takeover = await svc.place(user, body, { key: abandoned });
    assert.equal(takeover.statusCode, 201, takeover.body);
    const replay = await svc.place(user, body, { key: abandoned });
    assert.equal(replay.headers['idempotent-replayed'], 'true');
    assert.equal(replay.json().id, takeover.json().id);
    assert.equal((await ordersOf(user.accessToken)).length, 1);

    const fresh = await svc.place(user, body, { key: expired });
    assert.equal(fresh.statusCode, 201, fresh.body);
    assert.equal(fresh.headers['idempotent-replayed'], undefined);
    assert.equal((await ordersOf(user.accessToken)).length, 2);
  });
});

describe('Idempotency-Key expiry', () => {
  // Starts a minute ahead so tokens signed meanwhile (by the real clock) are never "issued later".
  const clock = new ManualClock(new Date(Date.now() + 60_000));
  let svc: TestOrders;
  before(async () => {
    svc = await startOrders({ clock, env: { IDEMPOTENCY_KEY_TTL_MS: '60000', IDEMPOTENCY_PURGE_INTERVAL_MS: '20', ORDER_PENDING_TIMEOUT_MS: '3600000' } });
  });
  after(async () => {
    await svc?.close();
  });

  const keyRows = (userId: string, key: string) =>
    svc.database.db.select().from(idempotencyKeys).where(and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, key)));

  it('purges a key after its time to live, after which the key makes a new order', async () => {
    const user = await svc.given.user();
    const product = await svc.product();
    const key = randomUUID();
    const body = { shippingAddress: address, paymentMethod: 'pm_card_ok', items: [{ productId: product.id, quantity: 1 }] };
    const first = await svc.place(user, body, { key });
    assert.equal(first.statusCode, 201, first.body);
    clock.advance(30_000);
    assert.equal((await svc.place(user, body, { key })).headers['idempotent-replayed'], 'true');
    assert.equal((await keyRows(user.id, key)).length, 1);

    clock.advance(30_001);
    await eventually(async () => assert.equal((await keyRows(user.id, key)).length, 0));
    const second = await svc.place(user, { ...body, paymentMethod: 'pm_card_declined' }, { key });
    assert.equal(second.statusCode, 201, second.body);
    assert.equal(second.headers['idempotent-replayed'], undefined);
    assert.notEqual(second.json().id, first.json().id);
  });
});
