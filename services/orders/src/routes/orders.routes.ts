/** Orders: POST/GET /api/v1/orders, GET /api/v1/orders/:id, POST /api/v1/orders/:id/cancel. */
import type { FastifyRequest } from 'fastify';
import type { HttpApp } from '@agora/kit/http/app';
import { bearerSecurity, principalOf, requireUser } from '@agora/kit/http/auth';
import { IdParams, Page, problems } from '@agora/kit/http/schemas';
import { cancelByUser } from '../domain/cancel-order.ts';
import type { OrdersContext } from '../domain/context.ts';
import { idempotencyKeyRequired, idempotencyKeyTooLong } from '../domain/errors.ts';
import { placeOrder } from '../domain/place-order.ts';
import { getOrder, listOrders } from '../domain/read-orders.ts';
import { IdempotencyHeaders, Order, OrdersQuery, PlaceOrderBody } from './schemas.ts';

const tags = ['orders'];

/** Checked before the body, so a request without a key learns that first, with its own code. */
async function requireIdempotencyKey(request: FastifyRequest): Promise<void> {
  const key = request.headers['idempotency-key'];
  if (typeof key !== 'string' || key.length === 0) throw idempotencyKeyRequired();
  if (key.length > 255) throw idempotencyKeyTooLong();
}

export function orderRoutes(app: HttpApp, ctx: OrdersContext): void {
  app.post(
    '/orders',
    {
      onRequest: requireUser,
      preValidation: requireIdempotencyKey,
      schema: {
        tags,
        summary: 'Place an order',
        description:
          'From `items`, or without them from the caller’s cart. Names and prices come from the catalog. The order starts `pending`; the checkout saga confirms or cancels it. ' +
          '400 ORDER.IDEMPOTENCY_KEY_REQUIRED without a key, ORDER.CART_EMPTY for an empty cart; 404 ORDER.PRODUCT_NOT_FOUND (the ids in `detail`); ' +
          '409 ORDER.CURRENCY_MISMATCH, ORDER.IDEMPOTENCY_KEY_IN_USE; 422 ORDER.IDEMPOTENCY_KEY_REUSED; 503 ORDER.CART_UNAVAILABLE.',
        security: bearerSecurity,
        headers: IdempotencyHeaders,
        body: PlaceOrderBody,
        response: { 201: Order, ...problems(400, 401, 404, 409, 413, 415, 422, 503) },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const placed = await placeOrder(
        ctx,
        { userId: principal.userId, authorization: request.headers.authorization },
        request.headers['idempotency-key'],
        request.body,
        { correlationId: request.correlationId },
      );
      if (placed.replayed) void reply.header('idempotent-replayed', 'true');
      return reply.code(201).header('location', `/api/v1/orders/${placed.order.id}`).send(placed.order);
    },
  );

  app.get(
    '/orders',
    {
      onRequest: requireUser,
      schema: {
        tags,
        summary: 'List orders, newest first',
        description: 'The caller’s orders; an admin’s list holds everyone’s, or one user’s with `userId`. A non-admin naming another user is 403.',
        security: bearerSecurity,
        querystring: OrdersQuery,
        response: { 200: Page(Order), ...problems(400, 401, 403) },
      },
    },
    async (request) => listOrders(ctx, principalOf(request), request.query),
  );

  app.get(
    '/orders/:id',
    {
      onRequest: requireUser,
      schema: {
        tags,
        summary: 'Read an order',
        description: 'Its buyer or an admin; for anyone else it is 404 ORDER.NOT_FOUND like an unknown one.',
        security: bearerSecurity,
        params: IdParams,
        response: { 200: Order, ...problems(400, 401, 404) },
      },
    },
    async (request) => getOrder(ctx, principalOf(request), request.params.id),
  );

  app.post(
    '/orders/:id/cancel',
    {
      onRequest: requireUser,
      schema: {
        tags,
        summary: 'Cancel an order',
        description:
          'Its buyer (or an admin), while `pending` or `confirmed`: the order becomes `cancelled` (`cancelled_by_user`), the payment is refunded and the stock restocked. ' +
          'Already cancelled: 409 ORDER.NOT_CANCELLABLE. Takes no body.',
        security: bearerSecurity,
        params: IdParams,
        response: { 200: Order, ...problems(400, 401, 404, 409, 413, 415) },
      },
    },
    async (request) => cancelByUser(ctx, principalOf(request), request.params.id, { correlationId: request.correlationId }),
  );
}
