/** Likes: /api/v1/posts/:id/like, /api/v1/posts/:id/likes and /api/v1/comments/:id/like. */
import type { HttpApp } from '@agora/kit/http/app';
import { bearerSecurity, principalOf, requireUser } from '@agora/kit/http/auth';
import { IdParams, NoContent, Page, PageQuery, problems } from '@agora/kit/http/schemas';
import { changeCommentLike, changePostLike } from '../domain/change-like.ts';
import type { LikesContext } from '../domain/context.ts';
import { listLikers } from '../domain/list-likers.ts';
import { CHANGE_PROBLEMS, UserSummary } from './schemas.ts';

const tags = ['likes'];

export function likeRoutes(app: HttpApp, ctx: LikesContext): void {
  const changes = [
    { method: 'put', change: 'like', summary: 'Like', description: 'Idempotent: liking twice counts once and is announced once.' },
    { method: 'delete', change: 'unlike', summary: 'Stop liking', description: 'Idempotent: unliking what you don’t like is 204 too.' },
  ] as const;

  for (const { method, change, summary, description } of changes) {
    app[method](
      '/posts/:id/like',
      {
        onRequest: requireUser,
        schema: {
          tags,
          summary: `${summary} a post`,
          description: `${description} An unknown or deleted post is 404 LIKES.POST_NOT_FOUND.`,
          security: bearerSecurity,
          params: IdParams,
          response: { 204: NoContent, ...problems(...CHANGE_PROBLEMS) },
        },
      },
      async (request, reply) => {
        await changePostLike(ctx, principalOf(request).userId, request.params.id, change, { correlationId: request.correlationId });
        return reply.code(204).send(null);
      },
    );

    app[method](
      '/comments/:id/like',
      {
        onRequest: requireUser,
        schema: {
          tags,
          summary: `${summary} a comment`,
          description: `${description} An unknown or deleted comment (or one on a deleted post) is 404 LIKES.COMMENT_NOT_FOUND.`,
          security: bearerSecurity,
          params: IdParams,
          response: { 204: NoContent, ...problems(...CHANGE_PROBLEMS) },
        },
      },
      async (request, reply) => {
        await changeCommentLike(ctx, principalOf(request).userId, request.params.id, change, { correlationId: request.correlationId });
        return reply.code(204).send(null);
      },
    );
  }

  app.get(
    '/posts/:id/likes',
    {
      schema: {
        tags,
        summary: 'Who likes a post, newest like first',
        description: 'An unknown or deleted post is 404 LIKES.POST_NOT_FOUND. A cursor this list never gave out is 400.',
        params: IdParams,
        querystring: PageQuery,
        response: { 200: Page(UserSummary), ...problems(400, 401, 404) },
      },
    },
    async (request) => listLikers(ctx, request.params.id, request.query),
  );
}
