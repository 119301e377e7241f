/**
 * GET /orders and GET /orders/:id: the buyer sees their own orders, newest first in cursor
 * pages; an admin sees everyone's (or one user's); anyone else's order is 404.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { expectProblem } from '@agora/kit/testing/service-harness';
import { API, startOrders, type OrderJson, type TestOrders } from './support/orders.ts';

describe('reading orders', () => {
  let svc: TestOrders;
  before(async () => {
    svc = await startOrders();
  });
  after(async () => {
    await svc?.close();
  });

  const list = async (token: string, query = '') => {
    const response = await svc.request('GET', `${API}/orders${query}`, { token });
    assert.equal(response.statusCode, 200, response.body);
    return response.json<{ items: OrderJson[]; nextCursor: string | null }>();
  };

  describe('GET /orders', () => {
    it('lists the caller’s orders only, newest first, in cursor pages', async () => {
      const [ann, ben] = [await svc.given.user(), await svc.given.user()];
      const product = await svc.product();
      const annOrders: OrderJson[] = [];
      for (let i = 0; i < 5; i++) annOrders.push(await svc.order(ann, [{ product, quantity: i + 1 }]));
      await svc.order(ben, [{ product }]);

      const newestFirst = annOrders.map((order) => order.id).reverse();
      assert.deepEqual((await list(ann.accessToken)).items.map((order) => order.id), newestFirst);
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = await list(ann.accessToken, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        assert.ok(page.items.length <= 2);
        seen.push(...page.items.map((order) => order.id));
        cursor = page.nextCursor;
        pages++;
      } while (cursor);
      assert.deepEqual(seen, newestFirst);
      assert.equal(pages, 3);
      assert.deepEqual((await list(ann.accessToken)).items[0], annOrders[4]);
      assert.deepEqual(await list(ann.accessToken, `?userId=${ann.id}`), await list(ann.accessToken));
    });

    it('answers an empty page to a user without orders', async () => {
      const user = await svc.given.user();
      assert.deepEqual(await list(user.accessToken), { items: [], nextCursor: null });
    });

    it('lets an admin list everyone’s orders, or one user’s with ?userId', async () => {
      const [ann, ben] = [await svc.given.user(), await svc.given.user()];
      const admin = await svc.given.user({ roles: ['user', 'admin'] });
      const product = await svc.product();
      const annOrder = await svc.order(ann, [{ product }]);
      const benOrder = await svc.order(ben, [{ product }]);
      const everyone = (await list(admin.accessToken, '?limit=100')).items.map((order) => order.id);
      assert.deepEqual(everyone.slice(0, 2), [benOrder.id, annOrder.id]);
      assert.deepEqual((await list(admin.accessToken, `?userId=${ann.id}`)).items.map((order) => order.id), [annOrder.id]);
      assert.deepEqual((await list(admin.accessToken, `?userId=${randomUUID()}`)).items, []);
    });

    it('answers 403 to a non-admin naming another user, 400 to bad queries and 401 without a token', async () => {
      const user = await svc.given.user();
      expectProblem(await svc.request('GET', `${API}/orders?userId=${randomUUID()}`, { token: user.accessToken }), 403, 'AUTH.FORBIDDEN');
      for (const query of ['?limit=0', '?limit=101', '?limit=x', '?userId=nobody', '?cursor=%%%', `?cursor=${Buffer.from('abc').toString('base64url')}`, '?status=pending']) {
        expectProblem(await svc.request('GET', `${API}/orders${query}`, { token: user.accessToken }), 400);
      }
      expectProblem(await svc.request('GET', `${API}/orders`), 401, 'AUTH.REQUIRED');
    });
  });

  describe('GET /orders/:id', () => {
    it('shows the buyer and admins the order, and answers 404 to anyone else as for an unknown order', async () => {
      const buyer = await svc.given.user();
      const other = await svc.given.user();
      const seller = await svc.given.user({ roles: ['user', 'seller'] });
      const admin = await svc.given.user({ roles: ['user', 'admin'] });
      const product = await svc.product();
      const order = await svc.order(buyer, [{ product }]);
      assert.deepEqual(await svc.read(buyer, order.id), order);
      assert.deepEqual(await svc.read(admin, order.id), order);
      expectProblem(await svc.request('GET', `${API}/orders/${order.id}`, { token: other.accessToken }), 404, 'ORDER.NOT_FOUND');
      expectProblem(await svc.request('GET', `${API}/orders/${order.id}`, { token: seller.accessToken }), 404, 'ORDER.NOT_FOUND');
      expectProblem(await svc.request('GET', `${API}/orders/${randomUUID()}`, { token: buyer.accessToken }), 404, 'ORDER.NOT_FOUND');
      expectProblem(await svc.request('GET', `${API}/orders/${order.id}x`, { token: buyer.accessToken }), 400, 'VALIDATION.FAILED');
      expectProblem(await svc.request('GET', `${API}/orders/${order.id}`), 401, 'AUTH.REQUIRED');
      expectProblem(await svc.request('GET', `${API}/orders/${order.id}`, { headers: { authorization: 'Bearer nonsense' } }), 401);
    });
  });
});
