/** Categories: /api/v1/categories and /api/v1/categories/:id. */
import type { HttpApp } from '@agora/kit/http/app';
import { bearerSecurity, requireRole } from '@agora/kit/http/auth';
import { IdParams, NoContent, Page, PageQuery, problems } from '@agora/kit/http/schemas';
import { createCategory, deleteCategory, listCategories, renameCategory } from '../domain/categories.ts';
import type { CatalogContext } from '../domain/context.ts';
import { BODY_PROBLEMS, CategoryBody, CategoryRef } from './schemas.ts';

const tags = ['categories'];
const adminOnly = requireRole('admin');

export function categoryRoutes(app: HttpApp, ctx: CatalogContext): void {
  app.get(
    '/categories',
    {
      schema: {
        tags,
        summary: 'Categories, by name',
        querystring: PageQuery,
        response: { 200: Page(CategoryRef), ...problems(400, 401) },
      },
    },
    async (request) => listCategories(ctx, request.query),
  );

  app.post(
    '/categories',
    {
      onRequest: adminOnly,
      schema: {
        tags,
        summary: 'Add a category',
        description: 'Admins only. A name taken already (regardless of case) is 409 CATALOG.CATEGORY_EXISTS.',
        security: bearerSecurity,
        body: CategoryBody,
        response: { 201: CategoryRef, ...problems(...BODY_PROBLEMS, 403, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await createCategory(ctx, request.body.name)),
  );

  app.patch(
    '/categories/:id',
    {
      onRequest: adminOnly,
      schema: {
        tags,
        summary: 'Rename a category',
        description: 'Admins only. A name taken by another category (regardless of case) is 409 CATALOG.CATEGORY_EXISTS.',
        security: bearerSecurity,
        params: IdParams,
        body: CategoryBody,
        response: { 200: CategoryRef, ...problems(...BODY_PROBLEMS, 403, 404, 409) },
      },
    },
    async (request) => renameCategory(ctx, request.params.id, request.body.name),
  );

  app.delete(
    '/categories/:id',
    {
      onRequest: adminOnly,
      schema: {
        tags,
        summary: 'Delete a category',
        description: 'Admins only. Its products stay, without a category (each announced with product.updated).',
        security: bearerSecurity,
        params: IdParams,
        response: { 204: NoContent, ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await deleteCategory(ctx, request.params.id, { correlationId: request.correlationId });
      return reply.code(204).send(null);
    },
  );
}
