/** user.deleted: everything posts holds about the user goes, counts on what remains are fixed, and late events bring nothing back. */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { createEvent } from '@agora/kit/bus/outbox';
import { eventually, expectProblem } from '@agora/kit/testing/service-harness';
import { API, Given, edgeState, entriesOfPost, feedEntries, feedIds, getPost, processed, startPosts, type PostsUnderTest } from './support/posts.ts';

describe('posts: user.deleted', () => {
  let svc: PostsUnderTest;
  let given: Given;
  before(async () => {
    svc = await startPosts();
    given = new Given(svc);
  });
  after(async () => {
    await svc?.close();
  });

  const now = () => new Date().toISOString();

  async function erase(userId: string): Promise<ReturnType<typeof createEvent>> {
    const event = createEvent('user.deleted', { userId, deletedAt: now() }, { producer: 'identity' });
    await svc.redeliver(event);
    await eventually(async () => assert.ok(await processed(svc, event.id), 'user.deleted not handled yet'));
    return event;
  }

  async function rows(table: 'follows' | 'post_likes' | 'post_comments' | 'media' | 'follower_counts', column: string, userId: string): Promise<number> {
    const result = await svc.database.db.execute(sql`select 1 from ${sql.identifier(table)} where ${sql.identifier(column)} = ${userId}::uuid`);
    return result.rows.length;
  }

  it('deletes the user’s posts and announces each, empties feeds of them and theirs, and fixes the counts of the posts that remain', async () => {
    const gone = await given.author();
    const friend = await given.author();
    const fan = await given.author();
    await given.follow(fan, gone);
    await given.follow(gone, friend);
    await given.follow(fan, friend);
    const upload = await given.upload(gone);
    const theirPosts = [await given.post(gone, 'one', [upload.mediaId]), await given.post(gone, 'two')];
    const friendsPost = await given.post(friend, 'stays');
    await eventually(async () => assert.deepEqual(await feedEntries(svc, gone.id), [friendsPost.id]));
    await eventually(async () => assert.equal((await feedEntries(svc, fan.id)).length, 3));

    const data = { postId: friendsPost.id, postAuthorId: friend.id, userId: gone.id, at: now() };
    await svc.publish('post.liked', data, 'likes');
    await svc.publish('post.liked', { ...data, userId: fan.id }, 'likes');
    for (const authorId of [gone.id, gone.id, fan.id]) {
      await svc.publish('comment.created', { commentId: randomUUID(), postId: friendsPost.id, postAuthorId: friend.id, authorId, text: 'hi', createdAt: now() }, 'comments');
    }
    await eventually(async () => {
      const seen = await getPost(svc, friendsPost.id);
      assert.deepEqual([seen.likeCount, seen.commentCount], [2, 3]);
    });

    const deletion = await erase(gone.id);

    for (const post of theirPosts) {
      expectProblem(await svc.request('GET', `${API}/posts/${post.id}`), 404, 'POSTS.NOT_FOUND');
      assert.deepEqual(await entriesOfPost(svc, post.id), []);
      const event = await svc.events.waitFor('post.deleted', (event) => event.postId === post.id);
      assert.equal(event.causationId, deletion.id);
      assert.equal(event.correlationId, deletion.correlationId);
      assert.equal(event.data.authorId, gone.id);
    }
    assert.deepEqual((await svc.events.waitFor('post.deleted', (event) => event.postId === theirPosts[0]!.id)).data.mediaIds, [upload.mediaId]);
    expectProblem(await svc.request('GET', `${API}/users/${gone.id}/posts`), 404, 'POSTS.AUTHOR_NOT_FOUND');

    const remaining = await getPost(svc, friendsPost.id, fan.accessToken);
    assert.deepEqual([remaining.likeCount, remaining.commentCount, remaining.likedByMe], [1, 1, true]);
    assert.deepEqual(await feedIds(svc, fan), [friendsPost.id]);
    assert.deepEqual(await feedEntries(svc, gone.id), []);
    assert.equal(await edgeState(svc, fan.id, gone.id), null);
    assert.equal(await edgeState(svc, gone.id, friend.id), null);
    assert.equal(await rows('follows', 'follower_id', gone.id), 0);
    assert.equal(await rows('follows', 'followee_id', gone.id), 0);
    assert.equal(await rows('follower_counts', 'user_id', gone.id), 0);
    assert.equal(await rows('post_likes', 'user_id', gone.id), 0);
    assert.equal(await rows('post_comments', 'author_id', gone.id), 0);
    assert.equal(await rows('media', 'owner_id', gone.id), 0);
    const followers = await svc.database.db.execute<{ followers: number }>(sql`select followers from follower_counts where user_id = ${friend.id}::uuid`);
    assert.equal(Number(followers.rows[0]!.followers), 1);
  });

  it('lets nothing about an erased user back in: late registrations, profiles, follows, likes, comments, uploads or posts', async () => {
    const gone = await given.author();
    const friend = await given.author();
    const post = await given.post(friend);
    await erase(gone.id);
    await erase(gone.id);

    const late = [
      createEvent('user.registered', { userId: gone.id, email: 'late@example.test', username: 'late', displayName: 'Late', roles: ['user'], registeredAt: now() }, { producer: 'identity' }),
      createEvent('profile.updated', { userId: gone.id, username: 'late', displayName: 'Late', bio: '', avatarUrl: null }, { producer: 'users' }),
      createEvent('user.followed', { followerId: gone.id, followeeId: friend.id }, { producer: 'users' }),
      createEvent('user.followed', { followerId: friend.id, followeeId: gone.id }, { producer: 'users' }),
      createEvent('post.liked', { postId: post.id, postAuthorId: friend.id, userId: gone.id, at: now() }, { producer: 'likes' }),
      createEvent('comment.created', { commentId: randomUUID(), postId: post.id, postAuthorId: friend.id, authorId: gone.id, text: 'boo', createdAt: now() }, { producer: 'comments' }),
      createEvent('media.uploaded', { mediaId: randomUUID(), ownerId: gone.id, url: 'https://cdn.example/x.png', thumbnailUrl: null, contentType: 'image/png' }, { producer: 'media' }),
    ];
    for (const event of late) await svc.redeliver(event);
    await eventually(async () => {
      for (const event of late) assert.ok(await processed(svc, event.id), `${event.type} not handled yet`);
    });

    expectProblem(await svc.request('GET', `${API}/users/${gone.id}/posts`), 404, 'POSTS.AUTHOR_NOT_FOUND');
    expectProblem(await svc.request('POST', `${API}/posts`, { token: gone.accessToken, body: { text: 'still here?' } }), 404, 'POSTS.AUTHOR_NOT_READY');
    const seen = await getPost(svc, post.id);
    assert.deepEqual([seen.likeCount, seen.commentCount], [0, 0]);
    assert.equal(await edgeState(svc, gone.id, friend.id), null);
    assert.equal(await edgeState(svc, friend.id, gone.id), null);
    assert.equal(await rows('media', 'owner_id', gone.id), 0);
  });

  it('takes the likes service’s own unlikes after the erasure as no change', async () => {
    const gone = await given.author();
    const friend = await given.author();
    const post = await given.post(friend);
    const liked = createEvent('post.liked', { postId: post.id, postAuthorId: friend.id, userId: gone.id, at: now() }, { producer: 'likes' });
    await svc.redeliver(liked);
    await eventually(async () => assert.equal((await getPost(svc, post.id)).likeCount, 1));
    await erase(gone.id);
    const unliked = createEvent('post.unliked', { postId: post.id, postAuthorId: friend.id, userId: gone.id, at: now() }, { producer: 'likes' });
    await svc.redeliver(unliked);
    await eventually(async () => assert.ok(await processed(svc, unliked.id)));
    assert.equal((await getPost(svc, post.id)).likeCount, 0);
  });
});
