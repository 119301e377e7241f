/**
 * Reads the buyer's cart from the cart service, for an order placed without `items`. This is a
 * synchronous call on purpose (DESIGN.md: only where an answer is needed now): the order must be
 * what the cart holds at this moment, and orders keeps no copy of carts. The buyer's own bearer
 * token is forwarded, so cart answers for exactly the caller. Any failure (no answer within the
 * timeout, not 200, not a cart) is the cart's outage, answered 503 so the client retries.
 */
import { Type } from 'typebox';
import { Value } from 'typebox/value';
import type { Logger } from '@agora/kit/logger';
import { traceContextHeaders } from '@agora/kit/tracing/propagation';
import { cartUnavailable } from '../domain/errors.ts';

export interface CartLine {
  productId: string;
  quantity: number;
}

export interface CartClient {
  /** The cart's lines (only product and quantity: prices come from orders' own projection). */
  readLines(authorization: string | undefined): Promise<CartLine[]>;
}

/** The part of cart's `GET /api/v1/cart` answer orders relies on (API.md, "Cart"). */
const CartReply = Type.Object({
  items: Type.Array(Type.Object({ productId: Type.String({ format: 'uuid' }), quantity: Type.Integer({ minimum: 1 }) })),
});

export function createCartClient(options: { baseUrl: string; timeoutMs: number; logger: Logger }): CartClient {
  const url = new URL('/api/v1/cart', options.baseUrl);
  return {
    async readLines(authorization) {
      let reply: unknown;
      try {
        const response = await fetch(url, {
          headers: { accept: 'application/json', ...(authorization ? { authorization } : {}), ...traceContextHeaders() },
          signal: AbortSignal.timeout(options.timeoutMs),
        });
        if (response.status !== 200) {
          await response.body?.cancel();
          throw new Error(`cart answered ${response.status}`);
        }
        reply = await response.json();
      } catch (error) {
        options.logger.warn({ err: error }, 'could not read the cart');
        throw cartUnavailable(error);
      }
      if (!Value.Check(CartReply, reply)) {
        options.logger.warn('the cart answered something that is not a cart');
        throw cartUnavailable();
      }
      // Cart keeps one line per product; merging is only a guard against a reply that doesn't.
      const lines = new Map<string, number>();
      for (const item of reply.items) lines.set(item.productId, (lines.get(item.productId) ?? 0) + item.quantity);
      return [...lines].map(([productId, quantity]) => ({ productId, quantity }));
    },
  };
}
