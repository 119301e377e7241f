/**
 * API.md's like and unlike routes for posts and comments: idempotence, one event per change with
 * a strictly later `at`, concurrent duplicates, and unknown or deleted targets (including
 * deletions that overtake creations, and comments gone with their post).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '@agora/kit/clock';
import { expectProblem } from '@agora/kit/testing/service-harness';
import { API, likersOf, startLikes, type TestLikes } from './support/likes.ts';

describe('likes: liking and unliking', () => {
  // Time stands still unless a test moves it, so the order of `at` can't come from the clock. It
  // starts a minute ahead so tokens signed meanwhile (by the real clock) are never "issued later".
  const clock = new ManualClock(new Date(Date.now() + 60_000));
  let svc: TestLikes;
  before(async () => {
    svc = await startLikes({ clock });
  });
  after(async () => {
    await svc?.close();
  });

  const like = (token: string, postId: string, headers?: Record<string, string>) => svc.request('PUT', `${API}/posts/${postId}/like`, { token, ...(headers ? { headers } : {}) });
  const unlike = (token: string, postId: string) => svc.request('DELETE', `${API}/posts/${postId}/like`, { token });

  describe('PUT /posts/:id/like', () => {
    it('likes once however often it is asked, and announces the like once with the post’s author and the time', async () => {
      const user = await svc.liker();
      const post = await svc.post();
      for (let i = 0; i < 3; i++) {
        const response = await like(user.accessToken, post.id);
        assert.equal(response.statusCode, 204, response.body);
        assert.equal(response.body, '');
      }
      const published = await svc.published('post.liked', { postId: post.id });
      assert.equal(published.length, 1);
      assert.deepEqual(published[0]!.data, { postId: post.id, postAuthorId: post.authorId, userId: user.id, at: clock.now().toISOString() });
      const event = await svc.events.waitFor('post.liked', (data) => data.postId === post.id);
      assert.equal(event.producer, 'likes');
      assert.deepEqual((await likersOf(svc, post.id)).items.map((item) => item.id), [user.id]);
    });

    it('counts ten simultaneous likes by one user once and announces one', async () => {
      const user = await svc.liker();
      const post = await svc.post();
      const responses = await Promise.all(Array.from({ length: 10 }, () => like(user.accessToken, post.id)));
      for (const response of responses) assert.equal(response.statusCode, 204, response.body);
      assert.equal((await svc.published('post.liked', { postId: post.id })).length, 1);
      assert.deepEqual((await likersOf(svc, post.id)).items.map((item) => item.id), [user.id]);

      const unlikes = await Promise.all(Array.from({ length: 10 }, () => unlike(user.accessToken, post.id)));
      for (const response of unlikes) assert.equal(response.statusCode, 204, response.body);
      assert.equal((await svc.published('post.unliked', { postId: post.id })).length, 1);
      assert.deepEqual((await likersOf(svc, post.id)).items, []);
    });

    it('keeps the likes of different users apart', async () => {
      const [ann, ben] = [await svc.liker(), await svc.liker()];
      const post = await svc.post();
      await Promise.all([like(ann.accessToken, post.id), like(ben.accessToken, post.id), like(ann.accessToken, post.id)]);
      assert.equal((await svc.published('post.liked', { postId: post.id, userId: ann.id })).length, 1);
      assert.equal((await svc.published('post.liked', { postId: post.id, userId: ben.id })).length, 1);
      assert.deepEqual((await likersOf(svc, post.id)).items.map((item) => item.id).sort(), [ann.id, ben.id].sort());
    });

    it('carries the request id as the event’s correlation id', async () => {
      const user = await svc.given.user();
      const post = await svc.post();
      assert.equal((await like(user.accessToken, post.id, { 'x-request-id': 'req-likes-1' })).statusCode, 204);
      const [event] = await svc.published('post.liked', { postId: post.id });
      assert.equal(event?.correlationId, 'req-likes-1');
    });
  });

  describe('DELETE /posts/:id/like', () => {
    it('takes a like back once and announces it once; unliking again is 204 and silent', async () => {
      const user = await svc.liker();
      const post = await svc.post();
      assert.equal((await like(user.accessToken, post.id)).statusCode, 204);
      clock.advance(5_000);
      for (let i = 0; i < 2; i++) {
        const response = await unlike(user.accessToken, post.id);
        assert.equal(response.statusCode, 204, response.body);
        assert.equal(response.body, '');
      }
      const published = await svc.published('post.unliked', { postId: post.id });
      assert.equal(published.length, 1);
      assert.deepEqual(published[0]!.data, { postId: post.id, postAuthorId: post.authorId, userId: user.id, at: clock.now().toISOString() });
      await svc.events.waitFor('post.unliked', (data) => data.postId === post.id);
      assert.deepEqual((await likersOf(svc, post.id)).items, []);
    });

    it('answers 204 and announces nothing for a post the user never liked', async () => {
      const user = await svc.given.user();
      const post = await svc.post();
      assert.equal((await unlike(user.accessToken, post.id)).statusCode, 204);
      assert.equal((await svc.published('post.unliked', { postId: post.id })).length, 0);
    });
  });

  describe('the time of a change', () => {
    it('gives each change of a (post, user) pair a later `at` than the one before, even when the clock stands still', async () => {
      const user = await svc.given.user();
      const post = await svc.post();
      for (const request of [like, unlike, like, unlike, like]) assert.equal((await request(user.accessToken, post.id)).statusCode, 204);
      const changes = [...(await svc.published('post.liked', { postId: post.id })), ...(await svc.published('post.unliked', { postId: post.id }))]
        .map((event) => ({ type: event.type, at: Date.parse(event.data.at) }))
        .sort((a, b) => a.at - b.at);
      assert.deepEqual(
        changes.map((change) => change.type),
        ['post.liked', 'post.unliked', 'post.liked', 'post.unliked', 'post.liked'],
      );
      assert.equal(changes[0]!.at, clock.now().getTime());
      for (let i = 1; i < changes.length; i++) assert.ok(changes[i]!.at > changes[i - 1]!.at, `change ${i} is not later than the one before`);
    });
  });

  describe('unknown and deleted posts', () => {
    it('answers 404 LIKES.POST_NOT_FOUND for a post it never heard of', async () => {
      const user = await svc.given.user();
      const postId = randomUUID();
      expectProblem(await like(user.accessToken, postId), 404, 'LIKES.POST_NOT_FOUND');
      expectProblem(await unlike(user.accessToken, postId), 404, 'LIKES.POST_NOT_FOUND');
    });

    it('answers 404 for a deleted post and announces nothing', async () => {
      const user = await svc.given.user();
      const post = await svc.post();
      await svc.deliver('post.deleted', { postId: post.id, authorId: post.authorId, mediaIds: [], deletedAt: clock.now().toISOString() }, 'posts');
      expectProblem(await like(user.accessToken, post.id), 404, 'LIKES.POST_NOT_FOUND');
      expectProblem(await unlike(user.accessToken, post.id), 404, 'LIKES.POST_NOT_FOUND');
      assert.equal((await svc.published('post.liked', { postId: post.id })).length, 0);
    });

    it('keeps a post deleted when its post.deleted overtakes its post.created', async () => {
      const user = await svc.given.user();
      const postId = randomUUID();
      const authorId = randomUUID();
      await svc.deliver('post.deleted', { postId, authorId, mediaIds: [], deletedAt: clock.now().toISOString() }, 'posts');
      const created = await svc.deliver('post.created', { postId, authorId, text: 'late', mediaIds: [], createdAt: clock.now().toISOString() }, 'posts');
      await svc.redeliver(created);
      expectProblem(await like(user.accessToken, postId), 404, 'LIKES.POST_NOT_FOUND');
      expectProblem(await svc.request('GET', `${API}/posts/${postId}/likes`), 404, 'LIKES.POST_NOT_FOUND');
    });

    it('takes a repeated post.created as harmless', async () => {
      const user = await svc.given.user();
      const post = await svc.post();
      assert.equal((await like(user.accessToken, post.id)).statusCode, 204);
      await svc.deliver('post.created', { postId: post.id, authorId: post.authorId, text: 'again', mediaIds: [], createdAt: clock.now().toISOString() }, 'posts');
      assert.equal((await like(user.accessToken, post.id)).statusCode, 204);
      assert.equal((await svc.published('post.liked', { postId: post.id })).length, 1);
    });
  });

  describe('authentication and ids', () => {
    it('needs a valid token (401) and a UUID (400)', async () => {
      const user = await svc.given.user();
      const post = await svc.post();
      expectProblem(await svc.request('PUT', `${API}/posts/${post.id}/like`), 401, 'AUTH.REQUIRED');
      expectProblem(await svc.request('DELETE', `${API}/posts/${post.id}/like`), 401, 'AUTH.REQUIRED');
      expectProblem(await like('not.a.token', post.id), 401, 'AUTH.INVALID_TOKEN');
      expectProblem(await like(user.accessToken, 'not-a-uuid'), 400, 'VALIDATION.FAILED');
      expectProblem(await unlike(user.accessToken, '123'), 400, 'VALIDATION.FAILED');
      assert.equal((await svc.published('post.liked', { postId: post.id })).length, 0);
    });
  });

  const likeComment = (token: string, commentId: string) => svc.request('PUT', `${API}/comments/${commentId}/like`, { token });
  const unlikeComment = (token: string, commentId: string) => svc.request('DELETE', `${API}/comments/${commentId}/like`, { token });
  const deletePost = (post: { id: string; authorId: string }) =>
    svc.deliver('post.deleted', { postId: post.id, authorId: post.authorId, mediaIds: [], deletedAt: clock.now().toISOString() }, 'posts');
  const deleteComment = (comment: { id: string; postId: string; authorId: string }) =>
    svc.deliver('comment.deleted', { commentId: comment.id, postId: comment.postId, authorId: comment.authorId, deletedAt: clock.now().toISOString() }, 'comments');

  describe('PUT and DELETE /comments/:id/like', () => {
    it('likes once however often it is asked and announces each change once, with the comment’s author and post', async () => {
      const user = await svc.given.user();
      const post = await svc.post();
      const comment = await svc.comment(post);
      for (let i = 0; i < 2; i++) {
        const response = await likeComment(user.accessToken, comment.id);
        assert.equal(response.statusCode, 204, response.body);
        assert.equal(response.body, '');
      }
      const liked = await svc.published('comment.liked', { commentId: comment.id });
      assert.equal(liked.length, 1);
      const likedAt = clock.now().toISOString();
      assert.deepEqual(liked[0]!.data, { commentId: comment.id, commentAuthorId: comment.authorId, postId: post.id, userId: user.id, at: likedAt });
      await svc.events.waitFor('comment.liked', (data) => data.commentId === comment.id);

      for (let i = 0; i < 2; i++) assert.equal((await unlikeComment(user.accessToken, comment.id)).statusCode, 204);
      const unliked = await svc.published('comment.unliked', { commentId: comment.id });
      assert.equal(unliked.length, 1);
      assert.equal(unliked[0]!.data.commentAuthorId, comment.authorId);
      assert.equal(unliked[0]!.data.postId, post.id);
      assert.ok(Date.parse(unliked[0]!.data.at) > Date.parse(likedAt));
      await svc.events.waitFor('comment.unliked', (data) => data.commentId === comment.id);

      assert.equal((await likeComment(user.accessToken, comment.id)).statusCode, 204);
      assert.equal((await svc.published('comment.liked', { commentId: comment.id })).length, 2);
    });

    it('answers 204 and announces nothing when unliking a comment the user never liked', async () => {
      const user = await svc.given.user();
      const comment = await svc.comment(await svc.post());
      assert.equal((await unlikeComment(user.accessToken, comment.id)).statusCode, 204);
      assert.equal((await svc.published('comment.unliked', { commentId: comment.id })).length, 0);
    });

    it('counts ten simultaneous likes by one user once and announces one', async () => {
      const user = await svc.given.user();
      const comment = await svc.comment(await svc.post());
      const responses = await Promise.all(Array.from({ length: 10 }, () => likeComment(user.accessToken, comment.id)));
      for (const response of responses) assert.equal(response.statusCode, 204, response.body);
      assert.equal((await svc.published('comment.liked', { commentId: comment.id })).length, 1);
      await Promise.all(Array.from({ length: 10 }, () => unlikeComment(user.accessToken, comment.id)));
      assert.equal((await svc.published('comment.unliked', { commentId: comment.id })).length, 1);
    });

    it('keeps a like on a comment apart from a like on its post', async () => {
      const user = await svc.given.user();
      const post = await svc.post();
      const comment = await svc.comment(post);
      assert.equal((await likeComment(user.accessToken, comment.id)).statusCode, 204);
      assert.equal((await svc.request('PUT', `${API}/posts/${post.id}/like`, { token: user.accessToken })).statusCode, 204);
      assert.equal((await svc.published('post.liked', { postId: post.id, userId: user.id })).length, 1);
      assert.equal((await svc.published('comment.liked', { commentId: comment.id, userId: user.id })).length, 1);
    });

    it('needs a token (401) and a UUID (400)', async () => {
      const user = await svc.given.user();
      const comment = await svc.comment(await svc.post());
      expectProblem(await svc.request('PUT', `${API}/comments/${comment.id}/like`), 401, 'AUTH.REQUIRED');
      expectProblem(await svc.request('DELETE', `${API}/comments/${comment.id}/like`), 401, 'AUTH.REQUIRED');
      expectProblem(await likeComment(user.accessToken, 'nope'), 400, 'VALIDATION.FAILED');
      assert.equal((await svc.published('comment.liked', { commentId: comment.id })).length, 0);
    });
  });

  describe('unknown and deleted comments', () => {
    it('answers 404 LIKES.COMMENT_NOT_FOUND for a comment it never heard of', async () => {
      const user = await svc.given.user();
      const commentId = randomUUID();
      expectProblem(await likeComment(user.accessToken, commentId), 404, 'LIKES.COMMENT_NOT_FOUND');
      expectProblem(await unlikeComment(user.accessToken, commentId), 404, 'LIKES.COMMENT_NOT_FOUND');
    });

    it('answers 404 for a deleted comment, also when comment.deleted overtakes comment.created', async () => {
      const user = await svc.given.user();
      const post = await svc.post();
      const comment = await svc.comment(post);
      await deleteComment(comment);
      expectProblem(await likeComment(user.accessToken, comment.id), 404, 'LIKES.COMMENT_NOT_FOUND');

      const late = { id: randomUUID(), postId: post.id, authorId: randomUUID() };
      await deleteComment(late);
      await svc.deliver('comment.created', { commentId: late.id, postId: post.id, postAuthorId: post.authorId, authorId: late.authorId, text: 'late', createdAt: clock.now().toISOString() }, 'comments');
      expectProblem(await likeComment(user.accessToken, late.id), 404, 'LIKES.COMMENT_NOT_FOUND');
      expectProblem(await unlikeComment(user.accessToken, late.id), 404, 'LIKES.COMMENT_NOT_FOUND');
      assert.equal((await svc.published('comment.liked', { postId: post.id })).length, 0);
    });

    it('answers 404 for a comment whose post was deleted, whether the comment arrived before or after the post.deleted', async () => {
      const user = await svc.given.user();
      const post = await svc.post();
      const before = await svc.comment(post);
      await deletePost(post);
      const after = await svc.comment(post);
      expectProblem(await likeComment(user.accessToken, before.id), 404, 'LIKES.COMMENT_NOT_FOUND');
      expectProblem(await likeComment(user.accessToken, after.id), 404, 'LIKES.COMMENT_NOT_FOUND');
      assert.equal((await svc.published('comment.liked', { postId: post.id })).length, 0);
    });
  });
});
