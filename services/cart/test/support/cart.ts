/**
 * The cart as its tests see it: built in-process by the kit's harness, with products, orders and
 * accounts appearing as the events their services would publish. Besides HTTP, tests read the
 * kit's processed_events table of the service's own database, to know an event they published
 * has been handled (so a check that something did NOT happen is not a guess).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { EventData } from '@agora/contracts/events';
import type { Clock } from '@agora/kit/clock';
import { startServiceUnderTest, type ServiceUnderTest } from '@agora/kit/testing/service-harness';
import type { CartConfig } from '../../src/config.ts';
import { cartModule } from '../../src/module.ts';

export const API = '/api/v1';

export interface CartLineBody {
  productId: string;
  name: string;
  unitPriceCents: number;
  quantity: number;
  lineTotalCents: number;
  currency: string;
  updatedAt: string;
}

export interface CartBody {
  items: CartLineBody[];
  totalCents: number;
  currency: string;
}

export interface TestProduct {
  id: string;
  sellerId: string;
  name: string;
  priceCents: number;
  currency: string;
  updatedAt: string;
}

export interface TestCart extends ServiceUnderTest<CartConfig> {
  /** A product the catalog announced (product.created, handled). */
  product(options?: Partial<Omit<TestProduct, 'id' | 'sellerId'>>): Promise<TestProduct>;
  /** The caller's cart, asserting 200. */
  cartOf(token: string): Promise<CartBody>;
  /** Sets a line's quantity, asserting 200; returns the cart answered. */
  put(token: string, productId: string, quantity: number): Promise<CartBody>;
}

/** product.created / product.updated data for a product. */
export const productEvent = (product: TestProduct, description = 'A product'): EventData<'product.created'> => ({
  productId: product.id,
  sellerId: product.sellerId,
  name: product.name,
  description,
  priceCents: product.priceCents,
  currency: product.currency,
  categoryId: null,
  updatedAt: product.updatedAt,
});

export async function startCart(options: { clock?: Clock; env?: Record<string, string> } = {}): Promise<TestCart> {
  const svc = await startServiceUnderTest(cartModule, options);

  const { deliver } = svc;

  return Object.assign(svc, {
    async product(productOptions: Partial<Omit<TestProduct, 'id' | 'sellerId'>> = {}) {
      const product: TestProduct = {
        id: randomUUID(),
        sellerId: randomUUID(),
        name: 'Teapot',
        priceCents: 1250,
        currency: 'USD',
        updatedAt: new Date().toISOString(),
        ...productOptions,
      };
      await deliver('product.created', productEvent(product), 'catalog');
      return product;
    },
    async cartOf(token: string) {
      const response = await svc.request('GET', `${API}/cart`, { token });
      assert.equal(response.statusCode, 200, response.body);
      return response.json<CartBody>();
    },
    async put(token: string, productId: string, quantity: number) {
      const response = await svc.request('PUT', `${API}/cart/items/${productId}`, { token, body: { quantity } });
      assert.equal(response.statusCode, 200, response.body);
      return response.json<CartBody>();
    },
  });
}

/** A user with a token; the cart needs no profile, so no event is published. */
export async function shopper(svc: TestCart): Promise<{ id: string; accessToken: string }> {
  const id = randomUUID();
  return { id, accessToken: await svc.token({ id }) };
}
