/**
 * The likes service as its tests see it: built in-process by the kit's harness, with posts,
 * comments and accounts appearing as the events their services would publish. Besides HTTP,
 * tests read two kit tables of the service's own database: processed_events, to know an event
 * they published has been handled (so a check that something did NOT happen is not a guess),
 * and the outbox, where every event the service decided to publish is written exactly once.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import type { EventData } from '@agora/contracts/events';
import { outbox } from '@agora/kit/bus/outbox.tables';
import type { EventEnvelope } from '@agora/kit/bus/types';
import type { Clock } from '@agora/kit/clock';
import { eventually, startServiceUnderTest, type ServiceUnderTest } from '@agora/kit/testing/service-harness';
import type { LikesConfig } from '../../src/config.ts';
import { authors } from '../../src/db/schema.ts';
import { likesModule } from '../../src/module.ts';

export const API = '/api/v1';

export type LikeEventType = 'post.liked' | 'post.unliked' | 'comment.liked' | 'comment.unliked';
export const LIKE_EVENTS: LikeEventType[] = ['post.liked', 'post.unliked', 'comment.liked', 'comment.unliked'];

export interface TestLikes extends ServiceUnderTest<LikesConfig> {
  /** The events of `type` the service wrote to its outbox whose data has the given fields, oldest first. */
  published<T extends LikeEventType>(type: T, fields: Partial<EventData<T>>): Promise<EventEnvelope<EventData<T>>[]>;
  post(options?: { authorId?: string }): Promise<{ id: string; authorId: string }>;
  comment(post: { id: string; authorId: string }, options?: { authorId?: string }): Promise<{ id: string; postId: string; authorId: string }>;
  /** A user whose name the likers list already shows. */
  liker(options?: { displayName?: string }): Promise<{ id: string; username: string; displayName: string; accessToken: string }>;
}

export async function startLikes(options: { clock?: Clock } = {}): Promise<TestLikes> {
  const svc = await startServiceUnderTest(likesModule, { watch: LIKE_EVENTS, ...options });
  const db = svc.database.db;

  const { deliver } = svc;

  const likes: TestLikes = Object.assign(svc, {
    async published<T extends LikeEventType>(type: T, fields: Partial<EventData<T>>) {
      const rows = await db.select({ envelope: outbox.envelope }).from(outbox).where(eq(outbox.type, type)).orderBy(asc(outbox.createdAt), asc(outbox.id));
      return rows
        .map((row) => row.envelope as EventEnvelope<EventData<T>>)
        .filter((envelope) => Object.entries(fields).every(([key, value]) => (envelope.data as Record<string, unknown>)[key] === value));
    },
    async post(postOptions: { authorId?: string } = {}) {
      const id = randomUUID();
      const authorId = postOptions.authorId ?? randomUUID();
      await deliver('post.created', { postId: id, authorId, text: 'hello', mediaIds: [], createdAt: new Date().toISOString() }, 'posts');
      return { id, authorId };
    },
    async comment(post: { id: string; authorId: string }, commentOptions: { authorId?: string } = {}) {
      const id = randomUUID();
      const authorId = commentOptions.authorId ?? randomUUID();
      await deliver(
        'comment.created',
        { commentId: id, postId: post.id, postAuthorId: post.authorId, authorId, text: 'nice', createdAt: new Date().toISOString() },
        'comments',
      );
      return { id, postId: post.id, authorId };
    },
    async liker(likerOptions: { displayName?: string } = {}) {
      const user = await svc.given.user(likerOptions);
      // given.user publishes user.registered and profile.updated; the name is shown once both are in.
      await eventually(async () => {
        const [row] = await db.select({ displayName: authors.displayName }).from(authors).where(eq(authors.id, user.id));
        assert.equal(row?.displayName, user.displayName);
      });
      return user;
    },
  });
  return likes;
}

/** Reads a page of likers and returns its body, asserting 200. */
export async function likersOf(svc: TestLikes, postId: string, query = ''): Promise<{ items: { id: string; username: string; displayName: string; avatarUrl: string | null }[]; nextCursor: string | null }> {
  const response = await svc.request('GET', `${API}/posts/${postId}/likes${query}`);
  assert.equal(response.statusCode, 200, response.body);
  return response.json();
}
