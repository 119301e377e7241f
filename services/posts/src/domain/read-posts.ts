/**
 * Reading posts: one post, a user's timeline and the home timeline. Timelines page with an
 * opaque cursor (the (createdAt, id) of the last post served) or, for clients that read "n posts
 * from an offset", with `offset`; not both at once.
 */
import { errors } from '@agora/kit/errors';
import { isUuid } from '@agora/kit/ids';
import { decodeCursor, pageOf } from '@agora/kit/pagination';
import { findAuthor } from '../db/authors.repository.ts';
import { findPostView, homeTimeline, userTimeline, type PageWindow, type Position, type PostView } from '../db/post-views.repository.ts';
import type { PostsContext } from './context.ts';
import { postNotFound, toPost, type Post } from './posts.ts';

export interface TimelineQuery {
  limit: number;
  cursor?: string | undefined;
  offset?: number | undefined;
}

export interface TimelinePage {
  items: Post[];
  nextCursor: string | null;
}

const ISO_MILLIS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** `<createdAt>|<id>`, as written by `positionOf`; anything else is not a cursor these lists gave out. */
function parsePosition(text: string): Position | undefined {
  const [createdAt, id, ...rest] = text.split('|');
  if (rest.length > 0 || createdAt === undefined || id === undefined) return undefined;
  if (!ISO_MILLIS.test(createdAt) || Number.isNaN(Date.parse(createdAt)) || !isUuid(id)) return undefined;
  return { createdAt, id };
}

const positionOf = (view: PostView): string => `${view.createdAt}|${view.id}`;

function windowOf(query: TimelineQuery): PageWindow {
  if (query.cursor !== undefined && query.offset !== undefined) {
    throw errors.badRequest('VALIDATION.FAILED', 'The request is invalid', {
      errors: [{ path: 'querystring/offset', message: 'cannot be combined with cursor' }],
    });
  }
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, parsePosition);
  return { take: query.limit + 1, offset: query.offset ?? 0, after };
}

function pageFrom(views: PostView[], limit: number): TimelinePage {
  const { page, nextCursor } = pageOf(views, limit, positionOf);
  return { items: page.map(toPost), nextCursor };
}

export async function getPost(ctx: PostsContext, postId: string, viewerId: string | null): Promise<Post> {
  const view = await findPostView(ctx.database.db, postId, viewerId);
  if (!view) throw postNotFound();
  return toPost(view);
}

export async function readUserTimeline(ctx: PostsContext, authorId: string, query: TimelineQuery, viewerId: string | null): Promise<TimelinePage> {
  const window = windowOf(query);
  const db = ctx.database.db;
  const views = await userTimeline(db, authorId, window, viewerId);
  // Posts imply their author; only an empty page needs to tell "no posts" from "no such user".
  if (views.length === 0 && !(await findAuthor(db, authorId))) {
    throw errors.notFound('POSTS.AUTHOR_NOT_FOUND', 'No such user');
  }
  return pageFrom(views, query.limit);
}

export async function readHomeTimeline(ctx: PostsContext, viewerId: string, query: TimelineQuery): Promise<TimelinePage> {
  return pageFrom(await homeTimeline(ctx.database.db, viewerId, windowOf(query)), query.limit);
}
