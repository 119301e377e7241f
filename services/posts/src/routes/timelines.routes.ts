/** Timelines: /api/v1/feed (home) and /api/v1/users/:id/posts (one author). */
import type { HttpApp } from '@agora/kit/http/app';
import { bearerSecurity, principalOf, requireUser } from '@agora/kit/http/auth';
import { IdParams, Page, problems } from '@agora/kit/http/schemas';
import type { PostsContext } from '../domain/context.ts';
import { readHomeTimeline, readUserTimeline } from '../domain/read-posts.ts';
import { Post, TimelineQuery } from './schemas.ts';

const tags = ['timelines'];
const paging = 'Pages with limit and cursor, or with limit and offset (up to 1000; not together with cursor: 400).';

export function timelineRoutes(app: HttpApp, ctx: PostsContext): void {
  app.get(
    '/feed',
    {
      onRequest: requireUser,
      schema: {
        tags,
        summary: 'Home timeline: your posts and those of the people you follow, newest first',
        description: paging,
        security: bearerSecurity,
        querystring: TimelineQuery,
        response: { 200: Page(Post), ...problems(400, 401) },
      },
    },
    async (request) => readHomeTimeline(ctx, principalOf(request).userId, request.query),
  );

  app.get(
    '/users/:id/posts',
    {
      schema: {
        tags,
        summary: 'A user’s posts, newest first',
        description: `${paging} An unknown user is 404 POSTS.AUTHOR_NOT_FOUND.`,
        params: IdParams,
        querystring: TimelineQuery,
        response: { 200: Page(Post), ...problems(400, 401, 404) },
      },
    },
    async (request) => readUserTimeline(ctx, request.params.id, request.query, request.principal?.userId ?? null),
  );
}
