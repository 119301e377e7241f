/** Products: /api/v1/products and /api/v1/products/:id. */
import type { HttpApp } from '@agora/kit/http/app';
import { bearerSecurity, principalOf, requireRole, requireUser } from '@agora/kit/http/auth';
import { IdParams, NoContent, Page, problems } from '@agora/kit/http/schemas';
import type { ProductViewsRepository } from '../db/product-views.repository.ts';
import type { CatalogContext } from '../domain/context.ts';
import { createProduct } from '../domain/create-product.ts';
import { deleteProduct } from '../domain/delete-product.ts';
import { editProduct } from '../domain/edit-product.ts';
import { getProduct, listProducts } from '../domain/read-products.ts';
import { BODY_PROBLEMS, CreateProductBody, EditProductBody, Product, ProductListQuery } from './schemas.ts';

const tags = ['products'];

export function productRoutes(app: HttpApp, ctx: CatalogContext, views: ProductViewsRepository): void {
  app.get(
    '/products',
    {
      schema: {
        tags,
        summary: 'Products on sale',
        description:
          'q finds words in names and descriptions (as written, by stem, or close to the name despite a typo); the other filters narrow. ' +
          'Ordered by `sort`; the cursor of a page is only good with the same sort.',
        querystring: ProductListQuery,
        response: { 200: Page(Product), ...problems(400, 401) },
      },
    },
    async (request) => listProducts(views, request.query),
  );

  app.get(
    '/products/:id',
    {
      schema: {
        tags,
        summary: 'A product',
        description: '`stock` is what can still be bought. A deleted product is 404.',
        params: IdParams,
        response: { 200: Product, ...problems(400, 401, 404) },
      },
    },
    async (request) => getProduct(views, request.params.id),
  );

  app.post(
    '/products',
    {
      onRequest: requireRole('seller', 'admin'),
      schema: {
        tags,
        summary: 'Put a product on sale',
        description:
          'Sellers and admins; the caller is the seller. An unknown categoryId is 400 CATALOG.UNKNOWN_CATEGORY; images must be the caller’s own uploads ' +
          '(400 CATALOG.UNKNOWN_MEDIA). Announced with product.created.',
        security: bearerSecurity,
        body: CreateProductBody,
        response: { 201: Product, ...problems(...BODY_PROBLEMS, 403) },
      },
    },
    async (request, reply) => {
      const product = await createProduct(ctx, principalOf(request).userId, request.body, { correlationId: request.correlationId });
      return reply.code(201).send(product);
    },
  );

  app.patch(
    '/products/:id',
    {
      onRequest: requireUser,
      schema: {
        tags,
        summary: 'Change a product',
        description:
          'Its seller or an admin (others 403 CATALOG.FORBIDDEN). `stock` sets the units that can be bought; reserved and sold units stay as they are. ' +
          'categoryId null takes it out of its category. Announced with product.updated.',
        security: bearerSecurity,
        params: IdParams,
        body: EditProductBody,
        response: { 200: Product, ...problems(...BODY_PROBLEMS, 403, 404) },
      },
    },
    async (request) => editProduct(ctx, principalOf(request), request.params.id, request.body, { correlationId: request.correlationId }),
  );

  app.delete(
    '/products/:id',
    {
      onRequest: requireUser,
      schema: {
        tags,
        summary: 'Take a product off sale',
        description: 'Its seller or an admin (others 403 CATALOG.FORBIDDEN). Orders in progress still settle. Announced with product.deleted.',
        security: bearerSecurity,
        params: IdParams,
        response: { 204: NoContent, ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await deleteProduct(ctx, principalOf(request), request.params.id, { correlationId: request.correlationId });
      return reply.code(204).send(null);
    },
  );
}
