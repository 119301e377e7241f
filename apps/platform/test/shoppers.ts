/**
 * The people of the commerce scenarios, made through the gateway as a client would: buyers, a
 * seller (a user the admin gave the seller role, seen at the next refresh), products, and
 * checkouts followed until the saga ends.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { call, eventually, type PlatformUnderTest } from './client.ts';

/** API.md: reads made consistent by events catch up within one second on an idle system. */
export const CATCH_UP_MS = 1_000;
const password = 'correct horse battery staple';

export interface Shopper {
  id: string;
  username: string;
  token: string;
}

export const shippingAddress = { name: 'Ada Buyer', line1: '1 Market Street', city: 'Springfield', postalCode: '12345', country: 'US' };

export function shop(platform: () => PlatformUnderTest) {
  const api = (method: string, route: string, options?: Parameters<typeof call>[3]) => call(platform().url, method, `/api/v1${route}`, options);

  async function register(name: string): Promise<Shopper & { refreshToken: string }> {
    const username = `${name}_${randomUUID().slice(0, 8)}`;
    const reply = await api('POST', '/auth/register', { body: { email: `${username}@example.com`, username, password } });
    assert.equal(reply.status, 201, reply.text);
    return { id: reply.body.user.id, username, token: reply.body.accessToken, refreshToken: reply.body.refreshToken };
  }

  let adminToken: string | undefined;
  async function admin(): Promise<string> {
    if (!adminToken) {
      const { email, password: adminPassword } = platform().admin;
      const reply = await api('POST', '/auth/login', { body: { email, password: adminPassword } });
      assert.equal(reply.status, 200, reply.text);
      adminToken = reply.body.accessToken as string;
    }
    return adminToken;
  }

  async function buyer(name = 'buyer'): Promise<Shopper> {
    const person = await register(name);
    return { id: person.id, username: person.username, token: person.token };
  }

  async function seller(name = 'seller'): Promise<Shopper> {
    const person = await register(name);
    const roles = await api('PUT', `/auth/users/${person.id}/roles`, { token: await admin(), body: { roles: ['user', 'seller'] } });
    assert.equal(roles.status, 200, roles.text);
    const refreshed = await api('POST', '/auth/refresh', { body: { refreshToken: person.refreshToken } });
    assert.equal(refreshed.status, 200, refreshed.text);
    assert.deepEqual(refreshed.body.user.roles.sort(), ['seller', 'user']);
    return { id: person.id, username: person.username, token: refreshed.body.accessToken };
  }

  /** Lists a product and waits until cart and orders know it (they learn products by events). */
  async function product(by: Shopper, fields: { name?: string; priceCents?: number; stock?: number; description?: string; currency?: string } = {}): Promise<any> {
    const reply = await api('POST', '/products', {
      token: by.token,
      body: { name: fields.name ?? `Teapot ${randomUUID().slice(0, 6)}`, description: fields.description ?? 'Porcelain, holds a litre', priceCents: fields.priceCents ?? 1_250, stock: fields.stock ?? 10, ...(fields.currency ? { currency: fields.currency } : {}) },
    });
    assert.equal(reply.status, 201, reply.text);
    return reply.body;
  }

  /** Orders `items` (or the cart), retrying while orders has not heard of a brand-new product yet. */
  async function checkout(who: Shopper, body: Record<string, unknown>, key: string = randomUUID()): Promise<any> {
    return eventually(CATCH_UP_MS * 2, async () => {
      const reply = await api('POST', '/orders', { token: who.token, headers: { 'idempotency-key': key }, body: { shippingAddress, ...body } });
      assert.equal(reply.status, 201, reply.text);
      return reply.body;
    });
  }

  /** Waits until the saga has decided the order. */
  async function settled(who: Shopper, orderId: string, ms = CATCH_UP_MS * 3): Promise<any> {
    return eventually(ms, async () => {
      const reply = await api('GET', `/orders/${orderId}`, { token: who.token });
      assert.equal(reply.status, 200, reply.text);
      assert.notEqual(reply.body.status, 'pending', `order ${orderId} still pending`);
      return reply.body;
    });
  }

  const stockOf = async (productId: string): Promise<number> => {
    const reply = await api('GET', `/products/${productId}`);
    assert.equal(reply.status, 200, reply.text);
    return reply.body.stock as number;
  };

  return { api, admin, buyer, seller, product, checkout, settled, stockOf };
}
