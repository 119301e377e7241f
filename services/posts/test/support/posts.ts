/**
 * The posts service under test (see @agora/kit/testing/service-harness) and small factories on
 * top of it: authors that posts already knows, posts, follows and uploads as the other services
 * would announce them, and reads of the timelines and of the feed table.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { EventData } from '@agora/contracts/events';
import type { Role } from '@agora/kit/auth/access-token';
import { eventually, startServiceUnderTest, type GivenUser, type ServiceUnderTest } from '@agora/kit/testing/service-harness';
import type { PostsConfig } from '../../src/config.ts';
import { postsModule } from '../../src/module.ts';

export const API = '/api/v1';

export type PostsUnderTest = ServiceUnderTest<PostsConfig>;

export interface PostBody {
  id: string;
  author: { id: string; username: string; displayName: string; avatarUrl: string | null };
  text: string;
  media: { id: string; url: string; thumbnailUrl: string | null; contentType: string }[];
  likeCount: number;
  commentCount: number;
  likedByMe: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface PageBody {
  items: PostBody[];
  nextCursor: string | null;
}

export function startPosts(env: Record<string, string> = {}): Promise<PostsUnderTest> {
  return startServiceUnderTest(postsModule, { watch: ['post.created', 'post.updated', 'post.deleted'], env });
}

export class Given {
  readonly svc: PostsUnderTest;

  constructor(svc: PostsUnderTest) {
    this.svc = svc;
  }

  /** A user whose user.registered (and profile.updated) posts has already applied. */
  async author(options: { roles?: Role[]; displayName?: string } = {}): Promise<GivenUser> {
    const user = await this.svc.given.user(options);
    await eventually(async () => {
      const response = await this.svc.request('GET', `${API}/users/${user.id}/posts`);
      assert.equal(response.statusCode, 200, response.body);
    });
    return user;
  }

  async post(user: GivenUser, text = `post ${randomUUID()}`, mediaIds?: string[]): Promise<PostBody> {
    const response = await this.svc.request('POST', `${API}/posts`, { token: user.accessToken, body: mediaIds ? { text, mediaIds } : { text } });
    assert.equal(response.statusCode, 201, response.body);
    return response.json();
  }

  /** An upload as the media service announces it; waits until posts knows it. */
  async upload(owner: { id: string }): Promise<EventData<'media.uploaded'>> {
    const mediaId = randomUUID();
    const data = {
      mediaId,
      ownerId: owner.id,
      url: `https://cdn.example/${mediaId}.png`,
      thumbnailUrl: `https://cdn.example/${mediaId}-thumb.webp`,
      contentType: 'image/png',
    };
    await this.svc.publish('media.uploaded', data, 'media');
    await eventually(async () => {
      const rows = await this.svc.database.db.execute(sql`select 1 from media where id = ${mediaId}::uuid`);
      assert.equal(rows.rows.length, 1);
    });
    return data;
  }

  /** user.followed as users publishes it; waits until the edge is applied. */
  async follow(follower: { id: string }, followee: { id: string }): Promise<void> {
    await this.svc.publish('user.followed', { followerId: follower.id, followeeId: followee.id }, 'users');
    await eventually(async () => assert.equal(await edgeState(this.svc, follower.id, followee.id), true));
  }

  async unfollow(follower: { id: string }, followee: { id: string }): Promise<void> {
    await this.svc.publish('user.unfollowed', { followerId: follower.id, followeeId: followee.id }, 'users');
    await eventually(async () => assert.equal(await edgeState(this.svc, follower.id, followee.id), false));
  }
}

export async function edgeState(svc: PostsUnderTest, followerId: string, followeeId: string): Promise<boolean | null> {
  const result = await svc.database.db.execute<{ active: boolean }>(
    sql`select active from follows where follower_id = ${followerId}::uuid and followee_id = ${followeeId}::uuid`,
  );
  return result.rows[0]?.active ?? null;
}

/** The post ids in a user's feed_entries rows. */
export async function feedEntries(svc: PostsUnderTest, ownerId: string): Promise<string[]> {
  const result = await svc.database.db.execute<{ post_id: string }>(sql`select post_id from feed_entries where owner_id = ${ownerId}::uuid`);
  return result.rows.map((row) => row.post_id).sort();
}

/** The owners of a post's feed_entries rows. */
export async function entriesOfPost(svc: PostsUnderTest, postId: string): Promise<string[]> {
  const result = await svc.database.db.execute<{ owner_id: string }>(sql`select owner_id from feed_entries where post_id = ${postId}::uuid`);
  return result.rows.map((row) => row.owner_id).sort();
}

/** Whether this service's own consumer has processed the event (for post.created: its fan-out decision is made). */
export async function processed(svc: PostsUnderTest, eventId: string): Promise<boolean> {
  const result = await svc.database.db.execute(sql`select 1 from processed_events where consumer = 'posts' and event_id = ${eventId}::uuid`);
  return result.rows.length > 0;
}

export async function page(svc: PostsUnderTest, url: string, token?: string): Promise<PageBody> {
  const response = await svc.request('GET', url, token ? { token } : {});
  assert.equal(response.statusCode, 200, response.body);
  return response.json();
}

export async function feedIds(svc: PostsUnderTest, user: GivenUser, query = ''): Promise<string[]> {
  return (await page(svc, `${API}/feed${query}`, user.accessToken)).items.map((item) => item.id);
}

export async function getPost(svc: PostsUnderTest, id: string, token?: string): Promise<PostBody> {
  const response = await svc.request('GET', `${API}/posts/${id}`, token ? { token } : {});
  assert.equal(response.statusCode, 200, response.body);
  return response.json();
}

/** Waits until this service's consumer has handled the post's post.created (fan-out done or decided against). */
export async function fannedOut(svc: PostsUnderTest, postId: string): Promise<void> {
  const event = await svc.events.waitFor('post.created', (data) => data.postId === postId);
  await eventually(async () => assert.ok(await processed(svc, event.id), 'post.created not handled yet'));
}
