/** The follow graph: /api/v1/users/:id/follow, /followers and /following. */
import type { HttpApp } from '@agora/kit/http/app';
import { bearerSecurity, principalOf, requireUser } from '@agora/kit/http/auth';
import { IdParams, NoContent, Page, PageQuery, problems } from '@agora/kit/http/schemas';
import type { UsersContext } from '../domain/context.ts';
import { followUser, unfollowUser } from '../domain/follow-user.ts';
import { listFollows } from '../domain/list-follows.ts';
import { UserSummary } from './schemas.ts';

const tags = ['follows'];

export function followRoutes(app: HttpApp, ctx: UsersContext): void {
  app.put(
    '/:id/follow',
    {
      onRequest: requireUser,
      schema: {
        tags,
        summary: 'Follow a user',
        description: 'Idempotent: following twice counts once. Yourself: 400 USERS.CANNOT_FOLLOW_SELF.',
        security: bearerSecurity,
        params: IdParams,
        response: { 204: NoContent, ...problems(400, 401, 404) },
      },
    },
    async (request, reply) => {
      await followUser(ctx, principalOf(request).userId, request.params.id, { correlationId: request.id });
      return reply.code(204).send(null);
    },
  );

  app.delete(
    '/:id/follow',
    {
      onRequest: requireUser,
      schema: {
        tags,
        summary: 'Stop following a user',
        description: 'Idempotent: unfollowing someone you don’t follow is 204 too.',
        security: bearerSecurity,
        params: IdParams,
        response: { 204: NoContent, ...problems(400, 401, 404) },
      },
    },
    async (request, reply) => {
      await unfollowUser(ctx, principalOf(request).userId, request.params.id, { correlationId: request.id });
      return reply.code(204).send(null);
    },
  );

  for (const side of ['followers', 'following'] as const) {
    app.get(
      `/:id/${side}`,
      {
        schema: {
          tags,
          summary: side === 'followers' ? 'Who follows the user, newest first' : 'Whom the user follows, newest first',
          params: IdParams,
          querystring: PageQuery,
          response: { 200: Page(UserSummary), ...problems(400, 401, 404) },
        },
      },
      async (request) => listFollows(ctx, request.params.id, side, request.query),
    );
  }
}
