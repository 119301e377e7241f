/** Reviews: /api/v1/products/:id/reviews. */
import type { HttpApp } from '@agora/kit/http/app';
import { bearerSecurity, principalOf, requireUser } from '@agora/kit/http/auth';
import { IdParams, Page, PageQuery, problems } from '@agora/kit/http/schemas';
import type { CatalogContext } from '../domain/context.ts';
import { listReviews, writeReview } from '../domain/reviews.ts';
import { BODY_PROBLEMS, Review, ReviewBody } from './schemas.ts';

const tags = ['reviews'];

export function reviewRoutes(app: HttpApp, ctx: CatalogContext): void {
  app.get(
    '/products/:id/reviews',
    {
      schema: {
        tags,
        summary: 'A product’s reviews, newest first',
        params: IdParams,
        querystring: PageQuery,
        response: { 200: Page(Review), ...problems(400, 401, 404) },
      },
    },
    async (request) => listReviews(ctx, request.params.id, request.query),
  );

  app.post(
    '/products/:id/reviews',
    {
      onRequest: requireUser,
      schema: {
        tags,
        summary: 'Review a product you bought',
        description:
          'Only with a confirmed order of it (else 403 CATALOG.NOT_PURCHASED), never your own product (403 CATALOG.OWN_PRODUCT), once ' +
          '(409 CATALOG.ALREADY_REVIEWED). The product’s rating moves at once.',
        security: bearerSecurity,
        params: IdParams,
        body: ReviewBody,
        response: { 201: Review, ...problems(...BODY_PROBLEMS, 403, 404, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await writeReview(ctx, principalOf(request).userId, request.params.id, request.body)),
  );
}
