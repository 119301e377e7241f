/** likeCount, likedByMe and commentCount kept from the likes and comments services' events, delivered twice and out of order. */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createEvent } from '@agora/kit/bus/outbox';
import { eventually } from '@agora/kit/testing/service-harness';
import { Given, getPost, processed, startPosts, type PostsUnderTest } from './support/posts.ts';

describe('posts: counts', () => {
  let svc: PostsUnderTest;
  let given: Given;
  before(async () => {
    svc = await startPosts();
    given = new Given(svc);
  });
  after(async () => {
    await svc?.close();
  });

  const at = (secondsAgo: number) => new Date(Date.now() - secondsAgo * 1_000).toISOString();

  /** Delivers the events in the order given and waits until posts has handled all of them. */
  async function deliver(...events: ReturnType<typeof createEvent>[]): Promise<void> {
    for (const event of events) await svc.redeliver(event);
    await eventually(async () => {
      for (const event of events) assert.ok(await processed(svc, event.id), `${event.type} not handled yet`);
    });
  }

  describe('likes', () => {
    it('counts a like delivered twice, and published twice, once', async () => {
      const author = await given.author();
      const fan = await given.author();
      const post = await given.post(author);
      const like = createEvent('post.liked', { postId: post.id, postAuthorId: author.id, userId: fan.id, at: at(1) }, { producer: 'likes' });
      const again = createEvent('post.liked', { postId: post.id, postAuthorId: author.id, userId: fan.id, at: at(0) }, { producer: 'likes' });
      await deliver(like, like, again);
      const seen = await getPost(svc, post.id, fan.accessToken);
      assert.equal(seen.likeCount, 1);
      assert.equal(seen.likedByMe, true);
    });

    it('keeps the newest change of each pair, whatever order they arrive in', async () => {
      const author = await given.author();
      const [first, second, third] = [await given.author(), await given.author(), await given.author()];
      const post = await given.post(author);
      const data = (userId: string, secondsAgo: number) => ({ postId: post.id, postAuthorId: author.id, userId, at: at(secondsAgo) });
      await deliver(
        // first: liked, then unliked; the unlike arrives first.
        createEvent('post.unliked', data(first.id, 5), { producer: 'likes' }),
        createEvent('post.liked', data(first.id, 10), { producer: 'likes' }),
        // second: liked, unliked, liked again; delivered newest first.
        createEvent('post.liked', data(second.id, 1), { producer: 'likes' }),
        createEvent('post.unliked', data(second.id, 2), { producer: 'likes' }),
        createEvent('post.liked', data(second.id, 3), { producer: 'likes' }),
        // third: an unlike of a like never seen.
        createEvent('post.unliked', data(third.id, 1), { producer: 'likes' }),
      );
      assert.equal((await getPost(svc, post.id)).likeCount, 1);
      assert.equal((await getPost(svc, post.id, first.accessToken)).likedByMe, false);
      assert.equal((await getPost(svc, post.id, second.accessToken)).likedByMe, true);
      assert.equal((await getPost(svc, post.id, third.accessToken)).likedByMe, false);

      await deliver(createEvent('post.unliked', data(second.id, 0), { producer: 'likes' }), createEvent('post.unliked', data(third.id, 0), { producer: 'likes' }));
      assert.equal((await getPost(svc, post.id)).likeCount, 0);
    });

    it('counts likes of many users arriving at once exactly', async () => {
      const author = await given.author();
      const post = await given.post(author);
      const fans = Array.from({ length: 15 }, () => randomUUID());
      const events = fans.flatMap((userId) => {
        const like = createEvent('post.liked', { postId: post.id, postAuthorId: author.id, userId, at: at(1) }, { producer: 'likes' });
        return [like, like, createEvent('post.liked', like.data, { producer: 'likes' })];
      });
      await Promise.all(events.map((event) => svc.redeliver(event)));
      await eventually(async () => {
        for (const event of events) assert.ok(await processed(svc, event.id), `${event.type} not handled yet`);
      });
      assert.equal((await getPost(svc, post.id)).likeCount, 15);
    });

    it('ignores likes of a post that doesn’t exist', async () => {
      const fan = await given.author();
      const event = createEvent('post.liked', { postId: randomUUID(), postAuthorId: randomUUID(), userId: fan.id, at: at(0) }, { producer: 'likes' });
      await deliver(event);
      assert.equal(await svc.bus.deadLetters.count('posts'), 0);
    });
  });

  describe('comments', () => {
    const comment = (postId: string, postAuthorId: string, authorId: string, commentId = randomUUID()) => ({
      commentId,
      postId,
      postAuthorId,
      authorId,
      text: 'nice',
      createdAt: at(0),
    });

    it('counts each comment once however often it is announced, and a deletion once', async () => {
      const author = await given.author();
      const commenter = await given.author();
      const post = await given.post(author);
      const one = createEvent('comment.created', comment(post.id, author.id, commenter.id), { producer: 'comments' });
      const two = createEvent('comment.created', comment(post.id, author.id, commenter.id), { producer: 'comments' });
      const oneAgain = createEvent('comment.created', one.data, { producer: 'comments' });
      await deliver(one, one, oneAgain, two);
      assert.equal((await getPost(svc, post.id)).commentCount, 2);

      const deletion = { commentId: one.data.commentId, postId: post.id, authorId: commenter.id, deletedAt: at(0) };
      await deliver(createEvent('comment.deleted', deletion, { producer: 'comments' }), createEvent('comment.deleted', deletion, { producer: 'comments' }));
      assert.equal((await getPost(svc, post.id)).commentCount, 1);
    });

    it('keeps a comment deleted when its deletion arrives before its creation', async () => {
      const author = await given.author();
      const commenter = await given.author();
      const post = await given.post(author);
      const created = comment(post.id, author.id, commenter.id);
      await deliver(
        createEvent('comment.deleted', { commentId: created.commentId, postId: post.id, authorId: commenter.id, deletedAt: at(0) }, { producer: 'comments' }),
        createEvent('comment.created', created, { producer: 'comments' }),
      );
      assert.equal((await getPost(svc, post.id)).commentCount, 0);
      await deliver(createEvent('comment.created', comment(post.id, author.id, commenter.id), { producer: 'comments' }));
      assert.equal((await getPost(svc, post.id)).commentCount, 1);
    });
  });
});
