/** Payments: GET /api/v1/payments and GET /api/v1/payments/:id (the owner, or an admin). */
import type { HttpApp } from '@agora/kit/http/app';
import { bearerSecurity, principalOf, requireUser } from '@agora/kit/http/auth';
import { IdParams, Page, problems } from '@agora/kit/http/schemas';
import type { PaymentsContext } from '../domain/context.ts';
import { getPayment, listPayments } from '../domain/read-payments.ts';
import { Payment, PaymentListQuery } from './schemas.ts';

const tags = ['payments'];

export function paymentRoutes(app: HttpApp, ctx: PaymentsContext): void {
  app.get(
    '/payments',
    {
      onRequest: requireUser,
      schema: {
        tags,
        summary: 'Payments, newest first',
        description:
          'Your payments; an admin sees everyone’s. `orderId` narrows to one order’s payment; `userId` to one user’s (admins only: another user’s id is 403 PAYMENTS.USER_FILTER_FORBIDDEN). A cursor this list never gave out is 400.',
        security: bearerSecurity,
        querystring: PaymentListQuery,
        response: { 200: Page(Payment), ...problems(400, 401, 403) },
      },
    },
    async (request) => listPayments(ctx, principalOf(request), request.query),
  );

  app.get(
    '/payments/:id',
    {
      onRequest: requireUser,
      schema: {
        tags,
        summary: 'A payment',
        description: 'Its owner or an admin; anyone else, like an unknown id, is 404 PAYMENTS.NOT_FOUND.',
        security: bearerSecurity,
        params: IdParams,
        response: { 200: Payment, ...problems(400, 401, 404) },
      },
    },
    async (request) => getPayment(ctx, principalOf(request), request.params.id),
  );
}
