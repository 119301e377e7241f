/**
 * Reading posts as the API shows them. Each read is ONE statement: a `page` of (id, created_at)
 * in timeline order, joined to the posts, their authors, their media (one array per post) and
 * the viewer's like. Timelines order by (created_at, id) descending; every branch of a page is
 * an index range scan (see the migration's indexes).
 *
 * These are the hot reads, so each has one fixed text with placeholders and runs as a named
 * prepared statement: PostgreSQL plans it once per connection instead of on every request
 * (planning the home timeline costs more than running it). "No cursor" is therefore a position
 * after everything rather than a missing condition.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '@agora/kit/db/database';

export interface MediaView {
  id: string;
  url: string;
  thumbnailUrl: string | null;
  contentType: string;
}

export interface PostView {
  id: string;
  authorId: string;
  username: string;
  displayName: string;
  avatarUrl: string | null;
  text: string;
  media: MediaView[];
  likeCount: number;
  commentCount: number;
  likedByMe: boolean;
  /** ISO 8601, millisecond precision as stored. */
  createdAt: string;
  updatedAt: string;
}

/** Where a page starts: strictly after this (createdAt, id) in timeline order. */
export interface Position {
  createdAt: string;
  id: string;
}

export interface PageWindow {
  /** Rows to return (the caller asks one more than it shows to learn whether a next page exists). */
  take: number;
  offset: number;
  after?: Position | undefined;
}

const START: Position = { createdAt: 'infinity', id: 'ffffffff-ffff-ffff-ffff-ffffffffffff' };

const param = sql.placeholder;

// The driver hands timestamps back as text in the server's format; ISO is produced here instead.
const iso = (column: SQL) => sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const olderThanAfter = (createdAt: SQL, id: SQL) => sql`(${createdAt}, ${id}) < (${param('afterAt')}::timestamptz, ${param('afterId')}::uuid)`;

const fields = {
  id: sql<string>`p.id`,
  authorId: sql<string>`p.author_id`,
  username: sql<string>`a.username`,
  displayName: sql<string>`a.display_name`,
  avatarUrl: sql<string | null>`a.avatar_url`,
  text: sql<string>`p.text`,
  media: sql<MediaView[]>`case when cardinality(p.media_ids) = 0 then '[]'::json else coalesce((
      select json_agg(json_build_object('id', m.id, 'url', m.url, 'thumbnailUrl', m.thumbnail_url, 'contentType', m.content_type)
        order by array_position(p.media_ids, m.id))
      from media m where m.id = any(p.media_ids) and m.deleted_at is null
    ), '[]'::json) end`,
  likeCount: sql<number>`p.like_count`,
  commentCount: sql<number>`p.comment_count`,
  // A null viewer matches no row: false for anonymous readers.
  likedByMe: sql<boolean>`exists (select 1 from post_likes l where l.post_id = p.id and l.user_id = ${param('viewer')}::uuid and l.liked)`,
  createdAt: iso(sql`p.created_at`),
  updatedAt: iso(sql`p.updated_at`),
};

function prepareHydrated(q: Queryable, name: string, page: SQL) {
  return q
    .select(fields)
    .from(sql`(${page}) page join posts p on p.id = page.id join authors a on a.id = p.author_id`)
    .orderBy(sql`page.created_at desc, page.id desc`)
    .prepare(name);
}

type Prepared = ReturnType<typeof prepareHydrated>;

/**
 * Building a drizzle query costs more than the client side of running it, so each statement is
 * built once per database handle (the pool, or a transaction while it lasts) and reused.
 */
const preparedByHandle = new WeakMap<Queryable, Map<string, Prepared>>();

function hydrated(q: Queryable, name: string, page: () => SQL): Prepared {
  let prepared = preparedByHandle.get(q);
  if (!prepared) preparedByHandle.set(q, (prepared = new Map()));
  let statement = prepared.get(name);
  if (!statement) prepared.set(name, (statement = prepareHydrated(q, name, page())));
  return statement;
}

const windowParams = (window: PageWindow) => {
  const after = window.after ?? START;
  return { take: window.take, offset: window.offset, afterAt: after.createdAt, afterId: after.id };
};

const toViews = (rows: PostView[]): PostView[] =>
  rows.map((row) => ({ ...row, likeCount: Number(row.likeCount), commentCount: Number(row.commentCount), likedByMe: row.likedByMe === true }));

export async function findPostView(q: Queryable, id: string, viewerId: string | null): Promise<PostView | null> {
  const rows = await hydrated(q, 'posts_post_by_id', () => sql`select id, created_at from posts where id = ${param('id')}::uuid`).execute({ id, viewer: viewerId });
  return toViews(rows)[0] ?? null;
}

/** The author's posts, newest first. */
export async function userTimeline(q: Queryable, authorId: string, window: PageWindow, viewerId: string | null): Promise<PostView[]> {
  const page = () => sql`select id, created_at from posts
    where author_id = ${param('authorId')}::uuid and ${olderThanAfter(sql`created_at`, sql`id`)}
    order by created_at desc, id desc limit ${param('take')} offset ${param('offset')}`;
  return toViews(await hydrated(q, 'posts_user_timeline', page).execute({ authorId, viewer: viewerId, ...windowParams(window) }));
}

/**
 * The viewer's home timeline, newest first: their feed entries (posts fanned out to them), their
 * own posts, and the posts of the people they follow that were not fanned out (authors over the
 * fan-out limit, and posts whose fan-out hasn't run yet). Each branch reads at most
 * offset + take rows of an index; `union` drops a post reached twice.
 */
export async function homeTimeline(q: Queryable, viewerId: string, window: PageWindow): Promise<PostView[]> {
  const depth = sql`${param('depth')}::bigint`;
  const page = () => sql`select id, created_at from (
      (select post_id as id, created_at from feed_entries
        where owner_id = ${param('viewer')}::uuid and ${olderThanAfter(sql`created_at`, sql`post_id`)}
        order by created_at desc, post_id desc limit ${depth})
      union
      (select id, created_at from posts
        where author_id = ${param('viewer')}::uuid and ${olderThanAfter(sql`created_at`, sql`id`)}
        order by created_at desc, id desc limit ${depth})
      union
      (select recent.id, recent.created_at from follows f
        cross join lateral (
          select id, created_at from posts
          where author_id = f.followee_id and not fanned_out and ${olderThanAfter(sql`created_at`, sql`id`)}
          order by created_at desc, id desc limit ${depth}
        ) recent
        where f.follower_id = ${param('viewer')}::uuid and f.active)
    ) candidates
    order by created_at desc, id desc limit ${param('take')} offset ${param('offset')}`;
  const params = { viewer: viewerId, depth: window.offset + window.take, ...windowParams(window) };
  return toViews(await hydrated(q, 'posts_home_timeline', page).execute(params));
}
