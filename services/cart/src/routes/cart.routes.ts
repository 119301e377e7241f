/** The cart: /api/v1/cart and /api/v1/cart/items/:productId, always the caller's own cart. */
import type { HttpApp } from '@agora/kit/http/app';
import { bearerSecurity, principalOf, requireUser } from '@agora/kit/http/auth';
import { NoContent, problems } from '@agora/kit/http/schemas';
import type { CartContext } from '../domain/context.ts';
import { readCart } from '../domain/read-cart.ts';
import { clearCart, removeLine } from '../domain/remove-lines.ts';
import { MAX_LINES, setQuantity } from '../domain/set-quantity.ts';
import { Cart, NoQuery, ProductParams, QuantityBody } from './schemas.ts';

const tags = ['cart'];

export function cartRoutes(app: HttpApp, ctx: CartContext): void {
  app.get(
    '/cart',
    {
      onRequest: requireUser,
      schema: {
        tags,
        summary: 'Your cart',
        description: 'Names and prices are the products’ current ones. An empty cart is `{ items: [], totalCents: 0, currency: "USD" }`.',
        security: bearerSecurity,
        querystring: NoQuery,
        response: { 200: Cart, ...problems(400, 401) },
      },
    },
    async (request) => readCart(ctx, principalOf(request).userId),
  );

  app.put(
    '/cart/items/:productId',
    {
      onRequest: requireUser,
      schema: {
        tags,
        summary: 'Set the quantity of a product in your cart',
        description:
          'Adds the line or replaces its quantity. An unknown or deleted product is 404 CART.PRODUCT_NOT_FOUND; a product in another ' +
          `currency than the cart’s lines 409 CART.CURRENCY_MISMATCH; a line beyond ${MAX_LINES} 409 CART.TOO_MANY_LINES.`,
        security: bearerSecurity,
        params: ProductParams,
        querystring: NoQuery,
        body: QuantityBody,
        response: { 200: Cart, ...problems(400, 401, 404, 409, 413, 415) },
      },
    },
    async (request) => setQuantity(ctx, principalOf(request).userId, request.params.productId, request.body.quantity),
  );

  app.delete(
    '/cart/items/:productId',
    {
      onRequest: requireUser,
      schema: {
        tags,
        summary: 'Remove a product from your cart',
        description: 'Idempotent: removing a product that isn’t in the cart answers the cart as it is.',
        security: bearerSecurity,
        params: ProductParams,
        querystring: NoQuery,
        response: { 200: Cart, ...problems(400, 401, 413, 415) },
      },
    },
    async (request) => removeLine(ctx, principalOf(request).userId, request.params.productId),
  );

  app.delete(
    '/cart',
    {
      onRequest: requireUser,
      schema: {
        tags,
        summary: 'Empty your cart',
        security: bearerSecurity,
        querystring: NoQuery,
        response: { 204: NoContent, ...problems(400, 401, 413, 415) },
      },
    },
    async (request, reply) => {
      await clearCart(ctx, principalOf(request).userId);
      return reply.code(204).send(null);
    },
  );
}
