/**
 * The comments service under test (see @agora/kit/testing/service-harness) with small factories
 * for what other services would announce: posts, comment likes, erasures.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { EventData, EventType } from '@agora/contracts/events';
import { processedEvents } from '@agora/kit/bus/outbox.tables';
import type { EventEnvelope } from '@agora/kit/bus/types';
import { eventually, startServiceUnderTest, type GivenUser, type ServiceUnderTest } from '@agora/kit/testing/service-harness';
import { commentsModule } from '../../src/module.ts';
import type { CommentsConfig } from '../../src/config.ts';

export { eventually, expectProblem } from '@agora/kit/testing/service-harness';
export type { GivenUser };

export const API = '/api/v1';
const PUBLISHED: EventType[] = ['comment.created', 'comment.deleted'];

export type TestComments = ServiceUnderTest<CommentsConfig> & {
  /** Waits until the service has handled `envelope` (its row in processed_events is committed). */
  settled(envelope: EventEnvelope<unknown>): Promise<void>;
  /** Announces a post as posts would, and waits until it is known here. */
  givenPost(authorId: string): Promise<string>;
  /** Comments through the API and returns the created comment. */
  givenComment(user: GivenUser, postId: string, text?: string): Promise<any>;
  /** A comment like or unlike as likes would announce it, once handled. */
  like(comment: { id: string; postId: string; author: { id: string } }, userId: string, liked: boolean, at: Date): Promise<EventEnvelope<unknown>>;
  comment(id: string): Promise<any>;
  list(postId: string, query?: string): Promise<{ items: any[]; nextCursor: string | null }>;
};

export async function startComments(): Promise<TestComments> {
  const svc = await startServiceUnderTest(commentsModule, { watch: PUBLISHED });

  const settled = async (envelope: EventEnvelope<unknown>) => {
    await eventually(async () => {
      const rows = await svc.database.db
        .select({ eventId: processedEvents.eventId })
        .from(processedEvents)
        .where(and(eq(processedEvents.consumer, 'comments'), eq(processedEvents.eventId, envelope.id)));
      assert.equal(rows.length, 1, `${envelope.type} ${envelope.id} not processed yet`);
    });
  };

  const publishSettled = async <T extends EventType>(type: T, data: EventData<T>, producer: string) => {
    const envelope = await svc.publish(type, data, producer);
    await settled(envelope);
    return envelope;
  };

  return Object.assign(svc, {
    settled,
    async givenPost(authorId: string) {
      const postId = randomUUID();
      await publishSettled('post.created', { postId, authorId, text: 'a post', mediaIds: [], createdAt: new Date().toISOString() }, 'posts');
      return postId;
    },
    async givenComment(user: GivenUser, postId: string, text = 'a comment') {
      const response = await svc.request('POST', `${API}/posts/${postId}/comments`, { token: user.accessToken, body: { text } });
      assert.equal(response.statusCode, 201, response.body);
      return response.json();
    },
    async like(comment: { id: string; postId: string; author: { id: string } }, userId: string, liked: boolean, at: Date) {
      const data = { commentId: comment.id, commentAuthorId: comment.author.id, postId: comment.postId, userId, at: at.toISOString() };
      return liked ? publishSettled('comment.liked', data, 'likes') : publishSettled('comment.unliked', data, 'likes');
    },
    async comment(id: string) {
      const response = await svc.request('GET', `${API}/comments/${id}`);
      assert.equal(response.statusCode, 200, response.body);
      return response.json();
    },
    async list(postId: string, query = '') {
      const response = await svc.request('GET', `${API}/posts/${postId}/comments${query ? `?${query}` : ''}`);
      assert.equal(response.statusCode, 200, response.body);
      return response.json();
    },
  });
}
