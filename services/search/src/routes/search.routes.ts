/** GET /api/v1/search: posts, people and products matching words, best first. */
import type { HttpApp } from '@agora/kit/http/app';
import { Page, problems } from '@agora/kit/http/schemas';
import type { SearchContext } from '../domain/context.ts';
import { search } from '../domain/search.ts';
import { SearchHit, SearchQuery } from './schemas.ts';

export function searchRoutes(app: HttpApp, ctx: SearchContext): void {
  app.get(
    '/',
    {
      // The API's path is the prefix itself, /api/v1/search, without a trailing slash.
      prefixTrailingSlash: 'no-slash',
      schema: {
        tags: ['search'],
        summary: 'Search posts, people and products',
        description:
          'Words match post texts, usernames, display names, product names and descriptions; names weigh more than texts, and names also match with typos. ' +
          'Best first, ties newest first. Deleted things and erased people (with their posts and products) are never found. ' +
          'The cursor is an offset into the ranked list, so a page may repeat or skip a hit whose rank changed meanwhile; at most 1,000 hits are served. ' +
          'No token needed; a token that is sent must be valid (401).',
        querystring: SearchQuery,
        response: { 200: Page(SearchHit), ...problems(400, 401) },
      },
    },
    async (request) => search(ctx, request.query),
  );
}
