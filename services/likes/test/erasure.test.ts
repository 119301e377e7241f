/** What deletions do to likes: post.deleted and comment.deleted cascades, and user.deleted taking back every like the user gave. */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { expectProblem } from '@agora/kit/testing/service-harness';
import { authors, likes } from '../src/db/schema.ts';
import { API, LIKE_EVENTS, likersOf, startLikes, type TestLikes } from './support/likes.ts';

describe('likes: erasure', () => {
  let svc: TestLikes;
  before(async () => {
    svc = await startLikes();
  });
  after(async () => {
    await svc?.close();
  });

  const likePost = (token: string, postId: string) => svc.request('PUT', `${API}/posts/${postId}/like`, { token });
  const unlikePost = (token: string, postId: string) => svc.request('DELETE', `${API}/posts/${postId}/like`, { token });
  const likeComment = (token: string, commentId: string) => svc.request('PUT', `${API}/comments/${commentId}/like`, { token });
  const eraseUser = (userId: string) => svc.deliver('user.deleted', { userId, deletedAt: new Date().toISOString() }, 'identity');
  /** Every like event the service wrote about `userId`, by type. */
  const eventsOf = async (userId: string) =>
    Object.fromEntries(await Promise.all(LIKE_EVENTS.map(async (type) => [type, (await svc.published(type, { userId })).length]))) as Record<string, number>;
  const rowsOf = async (userId: string) => (await svc.database.db.select().from(likes).where(eq(likes.userId, userId))).length;

  describe('post.deleted', () => {
    it('removes the likes on the post and on its comments without announcing them', async () => {
      const user = await svc.liker();
      const other = await svc.liker();
      const post = await svc.post();
      const comment = await svc.comment(post);
      const elsewhere = await svc.post();
      for (const token of [user.accessToken, other.accessToken]) {
        assert.equal((await likePost(token, post.id)).statusCode, 204);
        assert.equal((await likeComment(token, comment.id)).statusCode, 204);
      }
      assert.equal((await likePost(user.accessToken, elsewhere.id)).statusCode, 204);

      const deletion = await svc.deliver('post.deleted', { postId: post.id, authorId: post.authorId, mediaIds: [], deletedAt: new Date().toISOString() }, 'posts');
      await svc.redeliver(deletion);
      assert.equal(await rowsOf(other.id), 0);
      assert.equal((await svc.published('post.unliked', { postId: post.id })).length, 0);
      assert.equal((await svc.published('comment.unliked', { commentId: comment.id })).length, 0);
      expectProblem(await likePost(user.accessToken, post.id), 404, 'LIKES.POST_NOT_FOUND');
      expectProblem(await likeComment(user.accessToken, comment.id), 404, 'LIKES.COMMENT_NOT_FOUND');
      assert.deepEqual((await likersOf(svc, elsewhere.id)).items.map((item) => item.id), [user.id]);

      // Erasing the liker later takes back only the like that still exists.
      await eraseUser(user.id);
      assert.deepEqual(await eventsOf(user.id), { 'post.liked': 2, 'post.unliked': 1, 'comment.liked': 1, 'comment.unliked': 0 });
      assert.equal((await svc.published('post.unliked', { userId: user.id }))[0]?.data.postId, elsewhere.id);
    });
  });

  describe('comment.deleted', () => {
    it('removes the likes on that comment only, without announcing them', async () => {
      const user = await svc.given.user();
      const post = await svc.post();
      const [gone, kept] = [await svc.comment(post), await svc.comment(post)];
      for (const id of [gone.id, kept.id]) assert.equal((await likeComment(user.accessToken, id)).statusCode, 204);
      assert.equal((await likePost(user.accessToken, post.id)).statusCode, 204);

      await svc.deliver('comment.deleted', { commentId: gone.id, postId: post.id, authorId: gone.authorId, deletedAt: new Date().toISOString() }, 'comments');
      assert.equal(await rowsOf(user.id), 2);
      assert.equal((await svc.published('comment.unliked', { userId: user.id })).length, 0);
      expectProblem(await likeComment(user.accessToken, gone.id), 404, 'LIKES.COMMENT_NOT_FOUND');

      await eraseUser(user.id);
      const unliked = await svc.published('comment.unliked', { userId: user.id });
      assert.deepEqual(unliked.map((event) => event.data.commentId), [kept.id]);
      assert.equal((await svc.published('post.unliked', { userId: user.id })).length, 1);
    });
  });

  describe('user.deleted', () => {
    it('takes back every like the user gave with post.unliked / comment.unliked caused by the deletion, and only those', async () => {
      const gone = await svc.liker();
      const stays = await svc.liker();
      const post = await svc.post({ authorId: stays.id });
      const unlikedEarlier = await svc.post();
      const comment = await svc.comment(post, { authorId: stays.id });
      const ownPost = await svc.post({ authorId: gone.id });
      for (const id of [post.id, unlikedEarlier.id]) assert.equal((await likePost(gone.accessToken, id)).statusCode, 204);
      assert.equal((await unlikePost(gone.accessToken, unlikedEarlier.id)).statusCode, 204);
      assert.equal((await likeComment(gone.accessToken, comment.id)).statusCode, 204);
      assert.equal((await likePost(stays.accessToken, post.id)).statusCode, 204);
      assert.equal((await likePost(stays.accessToken, ownPost.id)).statusCode, 204);
      const [liked] = await svc.published('post.liked', { postId: post.id, userId: gone.id });

      const deletion = await eraseUser(gone.id);

      const postUnliked = await svc.published('post.unliked', { userId: gone.id, postId: post.id });
      assert.equal(postUnliked.length, 1);
      assert.equal(postUnliked[0]!.data.postAuthorId, stays.id);
      assert.ok(Date.parse(postUnliked[0]!.data.at) > Date.parse(liked!.data.at));
      assert.equal(postUnliked[0]!.causationId, deletion.id);
      assert.equal(postUnliked[0]!.correlationId, deletion.correlationId);
      const commentUnliked = await svc.published('comment.unliked', { userId: gone.id });
      assert.equal(commentUnliked.length, 1);
      assert.deepEqual(
        { ...commentUnliked[0]!.data, at: undefined },
        { commentId: comment.id, commentAuthorId: stays.id, postId: post.id, userId: gone.id, at: undefined },
      );
      assert.equal(commentUnliked[0]!.causationId, deletion.id);
      assert.equal((await svc.published('post.unliked', { userId: gone.id, postId: unlikedEarlier.id })).length, 1);
      await svc.events.waitFor('post.unliked', (data) => data.userId === gone.id && data.postId === post.id);
      await svc.events.waitFor('comment.unliked', (data) => data.userId === gone.id);

      assert.equal(await rowsOf(gone.id), 0);
      assert.deepEqual((await likersOf(svc, post.id)).items.map((item) => item.id), [stays.id]);
      // Likes on the erased user's own posts wait for the post.deleted that posts publishes.
      assert.deepEqual((await likersOf(svc, ownPost.id)).items.map((item) => item.id), [stays.id]);
      assert.equal((await svc.published('post.unliked', { userId: stays.id })).length, 0);
    });

    it('takes a second user.deleted as harmless: nothing is taken back twice', async () => {
      const gone = await svc.given.user();
      const post = await svc.post();
      assert.equal((await likePost(gone.accessToken, post.id)).statusCode, 204);
      await eraseUser(gone.id);
      await eraseUser(gone.id);
      assert.deepEqual(await eventsOf(gone.id), { 'post.liked': 1, 'post.unliked': 1, 'comment.liked': 0, 'comment.unliked': 0 });
    });

    it('records nothing for an erased user’s token that outlives the account', async () => {
      const gone = await svc.liker();
      const post = await svc.post();
      const comment = await svc.comment(post);
      await eraseUser(gone.id);
      assert.equal((await likePost(gone.accessToken, post.id)).statusCode, 204);
      assert.equal((await likeComment(gone.accessToken, comment.id)).statusCode, 204);
      assert.equal((await unlikePost(gone.accessToken, post.id)).statusCode, 204);
      assert.deepEqual(await eventsOf(gone.id), { 'post.liked': 0, 'post.unliked': 0, 'comment.liked': 0, 'comment.unliked': 0 });
      assert.deepEqual((await likersOf(svc, post.id)).items, []);
      assert.equal(await rowsOf(gone.id), 0);
    });

    it('forgets the user’s name and keeps it forgotten when their user.registered or profile.updated arrives late', async () => {
      const userId = randomUUID();
      const gone = await svc.liker();
      await eraseUser(gone.id);
      await eraseUser(userId);
      await svc.deliver('user.registered', { userId, email: 'late@example.test', username: 'late_one', displayName: 'Late', roles: ['user'], registeredAt: new Date().toISOString() }, 'identity');
      await svc.deliver('profile.updated', { userId: gone.id, username: gone.username, displayName: 'Back', bio: '', avatarUrl: null }, 'users');
      for (const id of [userId, gone.id]) assert.deepEqual(await svc.database.db.select().from(authors).where(eq(authors.id, id)), []);
    });
  });
});
