/**
 * What the service learns from events: like counts from comment.liked / comment.unliked (duplicated,
 * reordered, concurrent), and the cascades of post.deleted and user.deleted with the
 * comment.deleted events they publish.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createEvent } from '@agora/kit/bus/outbox';
import { API, expectProblem, startComments, type TestComments } from './support/comments.ts';

const at = (seconds: number) => new Date(Date.UTC(2030, 0, 1, 0, 0, seconds));

describe('comments: projections', () => {
  let svc: TestComments;
  before(async () => {
    svc = await startComments();
  });
  after(async () => {
    await svc?.close();
  });

  const likeCount = async (id: string): Promise<number> => (await svc.comment(id)).likeCount;

  describe('comment.liked and comment.unliked', () => {
    it('counts a like once however often it is delivered or repeated, and an unlike takes it back', async () => {
      const author = await svc.given.user();
      const fan = await svc.given.user();
      const comment = await svc.givenComment(author, await svc.givenPost(author.id));

      const liked = await svc.like(comment, fan.id, true, at(1));
      assert.equal(await likeCount(comment.id), 1);
      await svc.redeliver(liked);
      // The same change announced again under another event id (a producer retry).
      await svc.like(comment, fan.id, true, at(1));
      await svc.like(comment, fan.id, true, at(2));
      assert.equal(await likeCount(comment.id), 1);

      await svc.like(comment, fan.id, false, at(3));
      assert.equal(await likeCount(comment.id), 0);
      await svc.like(comment, fan.id, false, at(4));
      assert.equal(await likeCount(comment.id), 0);
      await svc.like(comment, fan.id, true, at(5));
      assert.equal(await likeCount(comment.id), 1);
    });

    it('applies a change only when newer than the last one applied for the pair, in any arrival order', async () => {
      const author = await svc.given.user();
      const fan = await svc.given.user();
      const comment = await svc.givenComment(author, await svc.givenPost(author.id));

      // The unlike overtakes its like: the late like is older, so nothing is counted.
      await svc.like(comment, fan.id, false, at(2));
      await svc.like(comment, fan.id, true, at(1));
      assert.equal(await likeCount(comment.id), 0);

      await svc.like(comment, fan.id, true, at(4));
      await svc.like(comment, fan.id, false, at(3));
      assert.equal(await likeCount(comment.id), 1);

      // An unlike with no like before it never takes the count below zero.
      const loner = await svc.given.user();
      const other = await svc.givenComment(author, await svc.givenPost(author.id));
      await svc.like(other, loner.id, false, at(1));
      assert.equal(await likeCount(other.id), 0);
    });

    it('counts likes from many users delivered at once', async () => {
      const author = await svc.given.user();
      const comment = await svc.givenComment(author, await svc.givenPost(author.id));
      const fans = Array.from({ length: 12 }, () => randomUUID());
      const data = (userId: string, seconds: number) => ({ commentId: comment.id, commentAuthorId: author.id, postId: comment.postId, userId, at: at(seconds).toISOString() });
      const envelopes = [
        ...fans.map((userId) => createEvent('comment.liked', data(userId, 1), { producer: 'likes' })),
        ...fans.map((userId) => createEvent('comment.liked', data(userId, 1), { producer: 'likes' })),
        ...fans.slice(0, 4).map((userId) => createEvent('comment.unliked', data(userId, 2), { producer: 'likes' })),
      ];
      await Promise.all(envelopes.map((envelope) => svc.redeliver(envelope)));
      for (const envelope of envelopes) await svc.settled(envelope);
      assert.equal(await likeCount(comment.id), 8);
    });

    it('ignores changes for a comment that doesn’t exist or was deleted', async () => {
      const author = await svc.given.user();
      const fan = await svc.given.user();
      const comment = await svc.givenComment(author, await svc.givenPost(author.id));
      await svc.like({ ...comment, id: randomUUID() }, fan.id, true, at(1));
      assert.equal((await svc.request('DELETE', `${API}/comments/${comment.id}`, { token: author.accessToken })).statusCode, 204);
      await svc.like(comment, fan.id, true, at(1));
      expectProblem(await svc.request('GET', `${API}/comments/${comment.id}`), 404, 'COMMENTS.NOT_FOUND');
      assert.equal(await svc.bus.deadLetters.count('comments'), 0);
    });
  });

  describe('post.deleted', () => {
    it('deletes the post’s comments, announces each as caused by the post.deleted, and keeps the post deleted', async () => {
      const postAuthor = await svc.given.user();
      const commenter = await svc.given.user();
      const fan = await svc.given.user();
      const postId = await svc.givenPost(postAuthor.id);
      const otherPostId = await svc.givenPost(postAuthor.id);
      const doomed = [await svc.givenComment(commenter, postId, 'one'), await svc.givenComment(postAuthor, postId, 'two')];
      const kept = await svc.givenComment(commenter, otherPostId, 'kept');
      await svc.like(doomed[0], fan.id, true, at(1));

      const deletion = await svc.publish('post.deleted', { postId, authorId: postAuthor.id, mediaIds: [], deletedAt: new Date().toISOString() }, 'posts');
      await svc.settled(deletion);
      for (const comment of doomed) {
        expectProblem(await svc.request('GET', `${API}/comments/${comment.id}`), 404, 'COMMENTS.NOT_FOUND');
        const event = await svc.events.waitFor('comment.deleted', (data) => data.commentId === comment.id);
        assert.equal(event.causationId, deletion.id);
        assert.equal(event.correlationId, deletion.correlationId);
        assert.deepEqual({ ...event.data, deletedAt: null }, { commentId: comment.id, postId, authorId: comment.author.id, deletedAt: null });
      }
      assert.equal((await svc.comment(kept.id)).text, 'kept');
      expectProblem(await svc.request('GET', `${API}/posts/${postId}/comments`), 404, 'COMMENTS.POST_NOT_FOUND');

      // Neither a redelivery nor a late post.created brings anything back or announces anything twice.
      await svc.redeliver(deletion);
      await svc.settled(await svc.publish('post.created', { postId, authorId: postAuthor.id, text: 'late', mediaIds: [], createdAt: new Date().toISOString() }, 'posts'));
      expectProblem(await svc.request('POST', `${API}/posts/${postId}/comments`, { token: commenter.accessToken, body: { text: 'revived?' } }), 404, 'COMMENTS.POST_NOT_FOUND');
      expectProblem(await svc.request('GET', `${API}/posts/${postId}/comments`), 404, 'COMMENTS.POST_NOT_FOUND');
      // A later event through the same queue: by the time it is handled the redelivery was too (FIFO dispatch).
      await svc.givenPost(postAuthor.id);
      assert.equal(svc.events.count('comment.deleted', (data) => data.postId === postId), 2);
    });

    it('removes or refuses every comment racing the post.deleted, and announces each one it removes', async () => {
      const author = await svc.given.user();
      const commenters = await Promise.all(Array.from({ length: 4 }, () => svc.given.user()));
      const postId = await svc.givenPost(author.id);
      const attempts = commenters.flatMap((user) =>
        Array.from({ length: 5 }, (_, i) => svc.request('POST', `${API}/posts/${postId}/comments`, { token: user.accessToken, body: { text: `race ${i}` } })),
      );
      // Announced once the first comment is in, while the others are still being written.
      await Promise.race(attempts);
      const deletion = svc.publish('post.deleted', { postId, authorId: author.id, mediaIds: [], deletedAt: new Date().toISOString() }, 'posts');
      const responses = await Promise.all(attempts);
      await svc.settled(await deletion);
      const created = responses.filter((response) => response.statusCode === 201).map((response) => response.json().id as string);
      for (const response of responses) assert.ok([201, 404].includes(response.statusCode), response.body);
      for (const id of created) {
        expectProblem(await svc.request('GET', `${API}/comments/${id}`), 404, 'COMMENTS.NOT_FOUND');
        await svc.events.waitFor('comment.deleted', (data) => data.commentId === id);
      }
      expectProblem(await svc.request('POST', `${API}/posts/${postId}/comments`, { token: author.accessToken, body: { text: 'after' } }), 404, 'COMMENTS.POST_NOT_FOUND');
    });

    it('keeps a post deleted when post.deleted overtakes post.created', async () => {
      const author = await svc.given.user();
      const postId = randomUUID();
      await svc.settled(await svc.publish('post.deleted', { postId, authorId: author.id, mediaIds: [], deletedAt: new Date().toISOString() }, 'posts'));
      await svc.settled(await svc.publish('post.created', { postId, authorId: author.id, text: 'late', mediaIds: [], createdAt: new Date().toISOString() }, 'posts'));
      expectProblem(await svc.request('POST', `${API}/posts/${postId}/comments`, { token: author.accessToken, body: { text: 'hello' } }), 404, 'COMMENTS.POST_NOT_FOUND');
      expectProblem(await svc.request('GET', `${API}/posts/${postId}/comments`), 404, 'COMMENTS.POST_NOT_FOUND');
    });
  });

  describe('user.deleted', () => {
    it('deletes the user’s comments (announced), drops their likes with the counts fixed, and keeps them out', async () => {
      const gone = await svc.given.user();
      const friend = await svc.given.user();
      const fan = await svc.given.user();
      const friendsPost = await svc.givenPost(friend.id);
      const goneComments = [await svc.givenComment(gone, friendsPost, 'mine 1'), await svc.givenComment(gone, await svc.givenPost(gone.id), 'mine 2')];
      const friendsComment = await svc.givenComment(friend, friendsPost, 'friend');
      const unlikedByGone = await svc.givenComment(friend, friendsPost, 'friend again');
      await svc.like(friendsComment, gone.id, true, at(1));
      await svc.like(friendsComment, fan.id, true, at(1));
      await svc.like(unlikedByGone, gone.id, true, at(1));
      await svc.like(unlikedByGone, gone.id, false, at(2));
      await svc.like(unlikedByGone, fan.id, true, at(1));
      await svc.like(goneComments[0], fan.id, true, at(1));
      assert.equal(await likeCount(friendsComment.id), 2);
      assert.equal(await likeCount(unlikedByGone.id), 1);

      const erasure = await svc.publish('user.deleted', { userId: gone.id, deletedAt: new Date().toISOString() }, 'identity');
      await svc.settled(erasure);
      for (const comment of goneComments) {
        expectProblem(await svc.request('GET', `${API}/comments/${comment.id}`), 404, 'COMMENTS.NOT_FOUND');
        const event = await svc.events.waitFor('comment.deleted', (data) => data.commentId === comment.id);
        assert.equal(event.causationId, erasure.id);
        assert.equal(event.data.authorId, gone.id);
      }
      assert.equal(await likeCount(friendsComment.id), 1);
      assert.equal(await likeCount(unlikedByGone.id), 1);
      assert.deepEqual(
        (await svc.list(friendsPost)).items.map((item) => item.id),
        [friendsComment.id, unlikedByGone.id],
      );

      // Another erasure of the same user (a second delivery path), late likes and a leftover token change nothing.
      await svc.settled(await svc.publish('user.deleted', { userId: gone.id, deletedAt: new Date().toISOString() }, 'identity'));
      await svc.like(friendsComment, gone.id, true, at(9));
      await svc.like(friendsComment, gone.id, false, at(10));
      assert.equal(await likeCount(friendsComment.id), 1);
      expectProblem(await svc.request('POST', `${API}/posts/${friendsPost}/comments`, { token: gone.accessToken, body: { text: 'still here?' } }), 403, 'COMMENTS.FORBIDDEN');
      assert.equal(svc.events.count('comment.deleted', (data) => data.authorId === gone.id), 2);
    });

    it('removes or refuses every comment and like racing the erasure', async () => {
      const gone = await svc.given.user();
      const author = await svc.given.user();
      const postId = await svc.givenPost(author.id);
      const target = await svc.givenComment(author, postId, 'liked by the leaving user');
      const attempts = Array.from({ length: 10 }, (_, i) => svc.request('POST', `${API}/posts/${postId}/comments`, { token: gone.accessToken, body: { text: `race ${i}` } }));
      const likes = Array.from({ length: 6 }, (_, i) =>
        createEvent(i % 2 === 0 ? 'comment.liked' : 'comment.unliked', { commentId: target.id, commentAuthorId: author.id, postId, userId: gone.id, at: at(i).toISOString() }, { producer: 'likes' }),
      );
      const published = Promise.all(likes.map((envelope) => svc.redeliver(envelope)));
      await Promise.race(attempts);
      const erasure = await svc.publish('user.deleted', { userId: gone.id, deletedAt: new Date().toISOString() }, 'identity');
      const responses = await Promise.all(attempts);
      await published;
      await svc.settled(erasure);
      for (const envelope of likes) await svc.settled(envelope);
      for (const response of responses) assert.ok([201, 403].includes(response.statusCode), response.body);
      for (const response of responses.filter((each) => each.statusCode === 201)) {
        expectProblem(await svc.request('GET', `${API}/comments/${response.json().id}`), 404, 'COMMENTS.NOT_FOUND');
      }
      assert.deepEqual(
        (await svc.list(postId)).items.map((item) => item.id),
        [target.id],
      );
      assert.equal(await likeCount(target.id), 0);
    });

    it('keeps an erased user’s names away when user.registered or profile.updated arrive late', async () => {
      const author = await svc.given.user();
      const postId = await svc.givenPost(author.id);
      const userId = randomUUID();
      await svc.settled(await svc.publish('user.deleted', { userId, deletedAt: new Date().toISOString() }, 'identity'));
      await svc.settled(
        await svc.publish('user.registered', { userId, email: 'z@example.test', username: 'zombie', displayName: 'Z', roles: ['user'], registeredAt: new Date().toISOString() }, 'identity'),
      );
      await svc.settled(await svc.publish('profile.updated', { userId, username: 'zombie', displayName: 'Z', bio: '', avatarUrl: null }, 'users'));
      const token = await svc.token({ id: userId });
      expectProblem(await svc.request('POST', `${API}/posts/${postId}/comments`, { token, body: { text: 'brains' } }), 403, 'COMMENTS.FORBIDDEN');
      assert.deepEqual((await svc.list(postId)).items, []);
    });
  });
});
