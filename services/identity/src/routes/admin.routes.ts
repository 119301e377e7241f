/** Account administration (role admin): /api/v1/auth/users. */
import type { HttpApp } from '@agora/kit/http/app';
import { bearerSecurity, requireRole } from '@agora/kit/http/auth';
import { IdParams, NoContent, Page, PageQuery, problems } from '@agora/kit/http/schemas';
import type { IdentityContext } from '../domain/context.ts';
import { deleteAccount } from '../domain/delete-account.ts';
import { listAccounts } from '../domain/list-accounts.ts';
import { setRoles } from '../domain/set-roles.ts';
import { requestMeta } from './request-meta.ts';
import { Account, BODY_PROBLEMS, RolesBody, RolesResult } from './schemas.ts';

const tags = ['admin'];
const adminOnly = requireRole('admin');

export function adminRoutes(app: HttpApp, ctx: IdentityContext): void {
  app.get(
    '/users',
    {
      onRequest: adminOnly,
      schema: {
        tags,
        summary: 'List accounts, oldest first',
        security: bearerSecurity,
        querystring: PageQuery,
        response: { 200: Page(Account), ...problems(400, 401, 403) },
      },
    },
    async (request) => listAccounts(ctx, request.query),
  );

  app.put(
    '/users/:id/roles',
    {
      onRequest: adminOnly,
      schema: {
        tags,
        summary: "Set an account's roles",
        description: '`user` is always kept. Takes effect in access tokens at the next refresh.',
        security: bearerSecurity,
        params: IdParams,
        body: RolesBody,
        response: { 200: RolesResult, ...problems(...BODY_PROBLEMS, 403, 404) },
      },
    },
    async (request) => setRoles(ctx, request.params.id, request.body.roles, requestMeta(request)),
  );

  app.delete(
    '/users/:id',
    {
      onRequest: adminOnly,
      schema: {
        tags,
        summary: 'Erase an account, as DELETE /me does',
        security: bearerSecurity,
        params: IdParams,
        response: { 204: NoContent, ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await deleteAccount(ctx, request.params.id, requestMeta(request));
      return reply.code(204).send(null);
    },
  );
}
