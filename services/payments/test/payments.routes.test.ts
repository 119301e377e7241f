/**
 * API.md's payment routes: GET /payments (newest first, pages, filters) and GET /payments/:id,
 * seen by the owner, an admin and anyone else (404, as if it didn't exist).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '@agora/kit/clock';
import { expectProblem, type GivenUser } from '@agora/kit/testing/service-harness';
import { API, startPayments, type PaymentBody, type TestPayments } from './support/payments.ts';

interface PageBody {
  items: PaymentBody[];
  nextCursor: string | null;
}

describe('payments: GET /payments and GET /payments/:id', () => {
  const clock = new ManualClock(new Date(Date.now() + 60_000));
  let svc: TestPayments;
  let admin: GivenUser;
  before(async () => {
    svc = await startPayments({ clock });
    admin = await svc.given.user({ roles: ['user', 'admin'] });
  });
  after(async () => {
    await svc?.close();
  });

  const get = (url: string, token?: string) => svc.request('GET', `${API}${url}`, token ? { token } : {});
  const list = async (token: string, query = ''): Promise<PageBody> => {
    const response = await get(`/payments${query}`, token);
    assert.equal(response.statusCode, 200, response.body);
    return response.json();
  };
  /** Pays `count` orders for the user, a second apart, oldest first. */
  const payOrders = async (user: GivenUser, count: number) => {
    const rows = [];
    for (let i = 0; i < count; i++) {
      clock.advance(1_000);
      rows.push(await svc.paidOrder(user.id, { totalCents: 100 * (i + 1) }));
    }
    return rows;
  };

  describe('GET /payments/:id', () => {
    it('shows the owner a succeeded payment as API.md describes it, and nothing internal', async () => {
      const user = await svc.given.user();
      const row = await svc.paidOrder(user.id, { totalCents: 2_500, currency: 'GBP' });
      const response = await get(`/payments/${row.id}`, user.accessToken);
      assert.equal(response.statusCode, 200, response.body);
      assert.match(String(response.headers['content-type']), /application\/json/);
      assert.deepEqual(response.json(), {
        id: row.id,
        orderId: row.orderId,
        userId: user.id,
        amountCents: 2_500,
        currency: 'GBP',
        status: 'succeeded',
        createdAt: row.createdAt.toISOString(),
        updatedAt: row.createdAt.toISOString(),
      });
    });

    it('shows a failed payment with its failureReason', async () => {
      const user = await svc.given.user();
      const row = await svc.paidOrder(user.id, { paymentMethod: 'pm_card_declined' });
      const body = (await get(`/payments/${row.id}`, user.accessToken)).json();
      assert.equal(body.status, 'failed');
      assert.equal(body.failureReason, 'card_declined');
      assert.equal('refundedAt' in body, false);
    });

    it('shows a refunded payment with refundedAt and a later updatedAt', async () => {
      const user = await svc.given.user();
      const row = await svc.paidOrder(user.id);
      clock.advance(3_000);
      await svc.deliver('order.cancelled', svc.cancellation(row.orderId, user.id), 'orders');
      const body = (await get(`/payments/${row.id}`, user.accessToken)).json();
      assert.equal(body.status, 'refunded');
      assert.equal(body.refundedAt, clock.now().toISOString());
      assert.equal(body.updatedAt, clock.now().toISOString());
      assert.equal(body.createdAt, row.createdAt.toISOString());
      assert.equal('failureReason' in body, false);
    });

    it('shows any payment to an admin', async () => {
      const user = await svc.given.user();
      const row = await svc.paidOrder(user.id);
      const response = await get(`/payments/${row.id}`, admin.accessToken);
      assert.equal(response.statusCode, 200, response.body);
      assert.equal(response.json().userId, user.id);
    });

    it('answers 404 PAYMENTS.NOT_FOUND for someone else’s payment, a seller included, and for an unknown id', async () => {
      const owner = await svc.given.user();
      const row = await svc.paidOrder(owner.id);
      const stranger = await svc.given.user();
      const seller = await svc.given.user({ roles: ['user', 'seller'] });
      expectProblem(await get(`/payments/${row.id}`, stranger.accessToken), 404, 'PAYMENTS.NOT_FOUND');
      expectProblem(await get(`/payments/${row.id}`, seller.accessToken), 404, 'PAYMENTS.NOT_FOUND');
      expectProblem(await get(`/payments/${randomUUID()}`, owner.accessToken), 404, 'PAYMENTS.NOT_FOUND');
      // A payment's order id is not its id.
      expectProblem(await get(`/payments/${row.orderId}`, owner.accessToken), 404, 'PAYMENTS.NOT_FOUND');
    });

    it('answers 401 without a token, 400 for a malformed id', async () => {
      const user = await svc.given.user();
      const row = await svc.paidOrder(user.id);
      expectProblem(await get(`/payments/${row.id}`), 401, 'AUTH.REQUIRED');
      expectProblem(await get('/payments/not-a-uuid', user.accessToken), 400, 'VALIDATION.FAILED');
    });
  });

  describe('GET /payments', () => {
    it('lists only the caller’s payments, newest first, in pages with an opaque cursor', async () => {
      const user = await svc.given.user();
      const other = await svc.given.user();
      const mine = await payOrders(user, 5);
      await payOrders(other, 2);

      const seen: PaymentBody[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: PageBody = await list(user.accessToken, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        assert.ok(page.items.length <= 2);
        seen.push(...page.items);
        cursor = page.nextCursor;
        pages++;
      } while (cursor !== null && pages < 10);
      assert.equal(pages, 3);
      assert.deepEqual(seen.map((payment) => payment.id), mine.map((row) => row.id).reverse());
      assert.deepEqual(seen.map((payment) => payment.amountCents), [500, 400, 300, 200, 100]);
      assert.ok(seen.every((payment) => payment.userId === user.id));

      const whole = await list(user.accessToken);
      assert.equal(whole.items.length, 5);
      assert.equal(whole.nextCursor, null);
    });

    it('orders payments made in the same instant by id, without losing or repeating one across pages', async () => {
      const user = await svc.given.user();
      const rows = [];
      for (let i = 0; i < 4; i++) rows.push(await svc.paidOrder(user.id));
      const first = await list(user.accessToken, '?limit=3');
      const second = await list(user.accessToken, `?limit=3&cursor=${first.nextCursor}`);
      assert.equal(second.nextCursor, null);
      const ids = [...first.items, ...second.items].map((payment) => payment.id);
      assert.deepEqual(ids, rows.map((row) => row.id).sort().reverse());
    });

    it('gives an empty page to a user without payments', async () => {
      const user = await svc.given.user();
      assert.deepEqual(await list(user.accessToken), { items: [], nextCursor: null });
    });

    it('narrows to one order with ?orderId, only ever among the caller’s own', async () => {
      const user = await svc.given.user();
      const other = await svc.given.user();
      const [, target] = await payOrders(user, 3);
      const [theirs] = await payOrders(other, 1);
      assert.deepEqual((await list(user.accessToken, `?orderId=${target!.orderId}`)).items.map((payment) => payment.id), [target!.id]);
      assert.deepEqual((await list(user.accessToken, `?orderId=${theirs!.orderId}`)).items, []);
      assert.deepEqual((await list(admin.accessToken, `?orderId=${theirs!.orderId}`)).items.map((payment) => payment.id), [theirs!.id]);
    });

    it('shows an admin everyone’s payments, and one user’s with ?userId', async () => {
      const ann = await svc.given.user();
      const ben = await svc.given.user();
      const [annPayment] = await payOrders(ann, 1);
      const [benPayment] = await payOrders(ben, 1);
      // Newest first across users: Ben paid last.
      const everyone = await list(admin.accessToken, '?limit=2');
      assert.deepEqual(everyone.items.map((payment) => payment.id), [benPayment!.id, annPayment!.id]);
      assert.notEqual(everyone.nextCursor, null);

      assert.deepEqual((await list(admin.accessToken, `?userId=${ann.id}`)).items.map((payment) => payment.id), [annPayment!.id]);
      assert.deepEqual((await list(admin.accessToken, `?userId=${randomUUID()}`)).items, []);
      // The admin's own payments are theirs like anyone's.
      assert.deepEqual((await list(admin.accessToken, `?userId=${admin.id}`)).items, []);
    });

    it('refuses another user’s ?userId to a non-admin with 403, and takes their own', async () => {
      const user = await svc.given.user();
      const [row] = await payOrders(user, 1);
      const other = await svc.given.user();
      expectProblem(await get(`/payments?userId=${other.id}`, user.accessToken), 403, 'PAYMENTS.USER_FILTER_FORBIDDEN');
      assert.deepEqual((await list(user.accessToken, `?userId=${user.id}`)).items.map((payment) => payment.id), [row!.id]);
    });

    it('answers 401 without a token or with a bad one', async () => {
      expectProblem(await get('/payments'), 401, 'AUTH.REQUIRED');
      expectProblem(await svc.request('GET', `${API}/payments`, { headers: { authorization: 'Bearer a.b.c' } }), 401);
    });

    it('rejects bad limits, cursors it never gave out, bad filters and unknown parameters with 400', async () => {
      const user = await svc.given.user();
      const forged = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
      const queries = [
        'limit=0',
        'limit=101',
        'limit=abc',
        'limit=1.5',
        'cursor=not-a-cursor',
        `cursor=${forged('2024-01-01T00:00:00.000Z_not-a-uuid')}`,
        `cursor=${forged(`yesterday_${randomUUID()}`)}`,
        `cursor=${forged(`2024-13-45T99:00:00.000Z_${randomUUID()}`)}`,
        `cursor=${forged("'; drop table payments; --")}`,
        `cursor=${'a'.repeat(600)}`,
        'orderId=nope',
        'userId=nope',
        'status=succeeded',
      ];
      for (const query of queries) {
        expectProblem(await get(`/payments?${query}`, user.accessToken), 400, 'VALIDATION.FAILED');
      }
    });
  });
});
