/**
 * The kit measures every consumer's lag (from an event's occurredAt to its handling) and serves
 * it on /metrics; likes stands for any service here. A redelivery is not handled again, so it is
 * not counted again.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startLikes, type TestLikes } from './support/likes.ts';

describe('likes: consumer lag on /metrics', () => {
  let svc: TestLikes;
  before(async () => {
    svc = await startLikes();
  });
  after(async () => {
    await svc?.close();
  });

  const handledCount = async (type: string): Promise<number> => {
    const response = await svc.request('GET', '/metrics');
    assert.equal(response.statusCode, 200);
    const line = response.body.split('\n').find((row) => row.startsWith('event_consumer_lag_seconds_count{') && row.includes(`type="${type}"`));
    return line ? Number(line.split(' ').at(-1)) : 0;
  };

  it('counts each handled event once, by type, however often it is delivered', async () => {
    const before = await handledCount('post.created');
    const event = await svc.deliver('post.created', { postId: randomUUID(), authorId: randomUUID(), text: 'hello', mediaIds: [], createdAt: new Date().toISOString() }, 'posts');
    await svc.redeliver(event);
    await svc.deliver('post.created', { postId: randomUUID(), authorId: randomUUID(), text: 'again', mediaIds: [], createdAt: new Date().toISOString() }, 'posts');
    assert.equal(await handledCount('post.created'), before + 2);
  });
});
