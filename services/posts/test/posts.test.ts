/** API.md's post routes: writing, reading, editing and deleting a post, with the projections a post shows (author, media, likes). */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createEvent } from '@agora/kit/bus/outbox';
import { eventually, expectProblem } from '@agora/kit/testing/service-harness';
import { API, Given, entriesOfPost, getPost, processed, startPosts, type PostsUnderTest } from './support/posts.ts';

describe('posts: one post', () => {
  let svc: PostsUnderTest;
  let given: Given;
  before(async () => {
    svc = await startPosts();
    given = new Given(svc);
  });
  after(async () => {
    await svc?.close();
  });

  const create = (token: string | undefined, body: unknown) => svc.request('POST', `${API}/posts`, { ...(token ? { token } : {}), body });
  const edit = (token: string | undefined, id: string, body: unknown) => svc.request('PATCH', `${API}/posts/${id}`, { ...(token ? { token } : {}), body });
  const remove = (token: string | undefined, id: string) => svc.request('DELETE', `${API}/posts/${id}`, token ? { token } : {});

  describe('POST /posts', () => {
    it('writes the post, answers 201 with the Post and publishes post.created', async () => {
      const author = await given.author({ displayName: 'Ada L.' });
      const response = await create(author.accessToken, { text: 'Hello, Agora' });
      assert.equal(response.statusCode, 201, response.body);
      const post = response.json();
      assert.deepEqual(Object.keys(post).sort(), ['author', 'commentCount', 'createdAt', 'id', 'likeCount', 'likedByMe', 'media', 'text', 'updatedAt']);
      assert.deepEqual(post.author, { id: author.id, username: author.username, displayName: 'Ada L.', avatarUrl: null });
      assert.equal(post.text, 'Hello, Agora');
      assert.deepEqual(post.media, []);
      assert.equal(post.likeCount, 0);
      assert.equal(post.commentCount, 0);
      assert.equal(post.likedByMe, false);
      assert.equal(post.createdAt, post.updatedAt);
      assert.ok(!Number.isNaN(Date.parse(post.createdAt)));

      assert.deepEqual(await getPost(svc, post.id), post);
      const event = await svc.events.waitFor('post.created', (data) => data.postId === post.id);
      assert.deepEqual(event.data, { postId: post.id, authorId: author.id, text: 'Hello, Agora', mediaIds: [], createdAt: post.createdAt });
      assert.equal(event.producer, 'posts');
    });

    it('attaches your own uploads in the order given, each with its url, thumbnail and type', async () => {
      const author = await given.author();
      const first = await given.upload(author);
      const second = await given.upload(author);
      const post = await given.post(author, 'two pictures', [second.mediaId, first.mediaId]);
      const expected = [second, first].map((upload) => ({ id: upload.mediaId, url: upload.url, thumbnailUrl: upload.thumbnailUrl, contentType: upload.contentType }));
      assert.deepEqual(post.media, expected);
      assert.deepEqual((await getPost(svc, post.id)).media, expected);
      const event = await svc.events.waitFor('post.created', (data) => data.postId === post.id);
      assert.deepEqual(event.data.mediaIds, [second.mediaId, first.mediaId]);
    });

    it('refuses media that is unknown, someone else’s or deleted with 400 POSTS.UNKNOWN_MEDIA', async () => {
      const author = await given.author();
      const other = await given.author();
      const mine = await given.upload(author);
      const theirs = await given.upload(other);
      const gone = await given.upload(author);
      await svc.publish('media.deleted', { mediaId: gone.mediaId, ownerId: author.id }, 'media');
      await eventually(async () => expectProblem(await create(author.accessToken, { text: 'x', mediaIds: [gone.mediaId] }), 400, 'POSTS.UNKNOWN_MEDIA'));

      const unknown = await create(author.accessToken, { text: 'x', mediaIds: [mine.mediaId, randomUUID()] });
      expectProblem(unknown, 400, 'POSTS.UNKNOWN_MEDIA');
      assert.deepEqual(unknown.json().errors, [{ path: 'body/mediaIds/1', message: 'is not media you uploaded' }]);
      expectProblem(await create(author.accessToken, { text: 'x', mediaIds: [theirs.mediaId] }), 400, 'POSTS.UNKNOWN_MEDIA');
      // Nothing was written by the refused requests: the upload is still free to use.
      assert.equal((await given.post(author, 'x', [mine.mediaId])).media.length, 1);
    });

    it('refuses media already attached to another post with 409 POSTS.MEDIA_IN_USE', async () => {
      const author = await given.author();
      const upload = await given.upload(author);
      await given.post(author, 'first', [upload.mediaId]);
      expectProblem(await create(author.accessToken, { text: 'second', mediaIds: [upload.mediaId] }), 409, 'POSTS.MEDIA_IN_USE');
    });

    it('takes 1 to 5000 characters and up to 4 distinct media, and refuses anything else with 400', async () => {
      const author = await given.author();
      assert.equal((await given.post(author, 'x'.repeat(5000))).text.length, 5000);
      const uploads = await Promise.all(Array.from({ length: 5 }, () => given.upload(author)));
      const ids = uploads.map((upload) => upload.mediaId);
      for (const body of [
        { text: '' },
        { text: '   \n ' },
        { text: 'x'.repeat(5001) },
        { text: 42 },
        {},
        { text: 'x', mediaIds: ids },
        { text: 'x', mediaIds: [ids[0], ids[0]] },
        { text: 'x', mediaIds: ['not-a-uuid'] },
        { text: 'x', mediaIds: 'nope' },
        { text: 'x', authorId: randomUUID() },
        { text: 'x', likeCount: 100 },
      ]) {
        expectProblem(await create(author.accessToken, body), 400, 'VALIDATION.FAILED');
      }
      assert.equal((await given.post(author, 'four', ids.slice(0, 4))).media.length, 4);
    });

    it('needs a valid token: 401 without one or with a bad one', async () => {
      expectProblem(await create(undefined, { text: 'x' }), 401, 'AUTH.REQUIRED');
      expectProblem(await create('not.a.token', { text: 'x' }), 401, 'AUTH.INVALID_TOKEN');
    });

    it('answers 404 POSTS.AUTHOR_NOT_READY while posts doesn’t know the caller yet', async () => {
      const token = await svc.token({ id: randomUUID() });
      expectProblem(await create(token, { text: 'too early' }), 404, 'POSTS.AUTHOR_NOT_READY');
    });
  });

  describe('GET /posts/:id', () => {
    it('shows the post to anyone, with likedByMe true only for a caller who likes it', async () => {
      const author = await given.author();
      const fan = await given.author();
      const post = await given.post(author);
      await svc.publish('post.liked', { postId: post.id, postAuthorId: author.id, userId: fan.id, at: new Date().toISOString() }, 'likes');
      const liked = await eventually(async () => {
        const seen = await getPost(svc, post.id, fan.accessToken);
        assert.equal(seen.likeCount, 1);
        return seen;
      });
      assert.equal(liked.likedByMe, true);
      assert.equal((await getPost(svc, post.id, author.accessToken)).likedByMe, false);
      const anonymous = await getPost(svc, post.id);
      assert.equal(anonymous.likedByMe, false);
      assert.equal(anonymous.likeCount, 1);
    });

    it('shows the author’s newest profile, whatever order profile.updated arrives in', async () => {
      const author = await given.author();
      const post = await given.post(author);
      const older = createEvent(
        'profile.updated',
        { userId: author.id, username: author.username, displayName: 'Older Name', bio: '', avatarUrl: null },
        { producer: 'users' },
      );
      older.occurredAt = new Date(Date.now() - 60_000).toISOString();
      await svc.publish('profile.updated', { userId: author.id, username: author.username, displayName: 'New Name', bio: 'hi', avatarUrl: 'https://cdn.example/me.webp' }, 'users');
      await eventually(async () => assert.equal((await getPost(svc, post.id)).author.displayName, 'New Name'));
      await svc.redeliver(older);
      await eventually(async () => assert.ok(await processed(svc, older.id)));
      assert.deepEqual((await getPost(svc, post.id)).author, { id: author.id, username: author.username, displayName: 'New Name', avatarUrl: 'https://cdn.example/me.webp' });
    });

    it('leaves out media deleted since', async () => {
      const author = await given.author();
      const kept = await given.upload(author);
      const dropped = await given.upload(author);
      const post = await given.post(author, 'album', [kept.mediaId, dropped.mediaId]);
      await svc.publish('media.deleted', { mediaId: dropped.mediaId, ownerId: author.id }, 'media');
      await eventually(async () => assert.deepEqual((await getPost(svc, post.id)).media.map((item) => item.id), [kept.mediaId]));
    });

    it('answers 404 POSTS.NOT_FOUND for an unknown post and 400 for a malformed id', async () => {
      expectProblem(await svc.request('GET', `${API}/posts/${randomUUID()}`), 404, 'POSTS.NOT_FOUND');
      expectProblem(await svc.request('GET', `${API}/posts/not-a-uuid`), 400, 'VALIDATION.FAILED');
    });
  });

  describe('PATCH /posts/:id', () => {
    it('lets the author change the text, answers the Post and publishes post.updated', async () => {
      const author = await given.author();
      const post = await given.post(author, 'frist');
      const response = await edit(author.accessToken, post.id, { text: 'first' });
      assert.equal(response.statusCode, 200, response.body);
      const edited = response.json();
      assert.equal(edited.text, 'first');
      assert.equal(edited.createdAt, post.createdAt);
      assert.ok(Date.parse(edited.updatedAt) >= Date.parse(post.updatedAt));
      assert.deepEqual(await getPost(svc, post.id), edited);
      const event = await svc.events.waitFor('post.updated', (data) => data.postId === post.id);
      assert.deepEqual(event.data, { postId: post.id, authorId: author.id, text: 'first', updatedAt: edited.updatedAt });
    });

    it('refuses anyone but the author with 403 POSTS.FORBIDDEN, even an admin', async () => {
      const author = await given.author();
      const other = await given.author();
      const admin = await given.author({ roles: ['user', 'admin'] });
      const post = await given.post(author, 'mine');
      expectProblem(await edit(other.accessToken, post.id, { text: 'yours now' }), 403, 'POSTS.FORBIDDEN');
      expectProblem(await edit(admin.accessToken, post.id, { text: 'admin’s now' }), 403, 'POSTS.FORBIDDEN');
      assert.equal((await getPost(svc, post.id)).text, 'mine');
    });

    it('answers 404 for an unknown post, 400 for bad input and 401 without a token', async () => {
      const author = await given.author();
      const post = await given.post(author);
      expectProblem(await edit(author.accessToken, randomUUID(), { text: 'x' }), 404, 'POSTS.NOT_FOUND');
      expectProblem(await edit(author.accessToken, 'nope', { text: 'x' }), 400, 'VALIDATION.FAILED');
      for (const body of [{}, { text: '' }, { text: 'x'.repeat(5001) }, { text: 'x', mediaIds: [] }, { text: null }]) {
        expectProblem(await edit(author.accessToken, post.id, body), 400, 'VALIDATION.FAILED');
      }
      expectProblem(await edit(undefined, post.id, { text: 'x' }), 401, 'AUTH.REQUIRED');
    });
  });

  describe('DELETE /posts/:id', () => {
    it('lets the author delete the post: 204, gone, and post.deleted carries its media', async () => {
      const author = await given.author();
      const fan = await given.author();
      await given.follow(fan, author);
      const upload = await given.upload(author);
      const post = await given.post(author, 'soon gone', [upload.mediaId]);
      await eventually(async () => assert.deepEqual(await entriesOfPost(svc, post.id), [fan.id]));

      const response = await remove(author.accessToken, post.id);
      assert.equal(response.statusCode, 204, response.body);
      assert.equal(response.body, '');
      expectProblem(await svc.request('GET', `${API}/posts/${post.id}`), 404, 'POSTS.NOT_FOUND');
      assert.deepEqual(await entriesOfPost(svc, post.id), []);
      const event = await svc.events.waitFor('post.deleted', (data) => data.postId === post.id);
      assert.equal(event.data.authorId, author.id);
      assert.deepEqual(event.data.mediaIds, [upload.mediaId]);
      expectProblem(await remove(author.accessToken, post.id), 404, 'POSTS.NOT_FOUND');
    });

    it('lets an admin delete anyone’s post', async () => {
      const author = await given.author();
      const admin = await given.author({ roles: ['user', 'admin'] });
      const post = await given.post(author);
      assert.equal((await remove(admin.accessToken, post.id)).statusCode, 204);
      expectProblem(await svc.request('GET', `${API}/posts/${post.id}`), 404, 'POSTS.NOT_FOUND');
      await svc.events.waitFor('post.deleted', (data) => data.postId === post.id && data.authorId === author.id);
    });

    it('refuses anyone else with 403 POSTS.FORBIDDEN and keeps the post', async () => {
      const author = await given.author();
      const other = await given.author({ roles: ['user', 'seller'] });
      const post = await given.post(author);
      expectProblem(await remove(other.accessToken, post.id), 403, 'POSTS.FORBIDDEN');
      expectProblem(await remove(undefined, post.id), 401, 'AUTH.REQUIRED');
      expectProblem(await remove(other.accessToken, 'nope'), 400, 'VALIDATION.FAILED');
      assert.equal((await getPost(svc, post.id)).id, post.id);
    });
  });

  describe('GET /openapi.json', () => {
    it('documents every route with every status it can answer', async () => {
      const response = await svc.request('GET', '/openapi.json');
      assert.equal(response.statusCode, 200);
      const paths = response.json().paths;
      const statuses = (path: string, method: string) => Object.keys(paths[path][method].responses).sort();
      assert.deepEqual(statuses('/api/v1/posts', 'post'), ['201', '400', '401', '404', '409', '413', '415']);
      assert.deepEqual(statuses('/api/v1/posts/{id}', 'get'), ['200', '400', '401', '404']);
      assert.deepEqual(statuses('/api/v1/posts/{id}', 'patch'), ['200', '400', '401', '403', '404', '413', '415']);
      assert.deepEqual(statuses('/api/v1/posts/{id}', 'delete'), ['204', '400', '401', '403', '404']);
      assert.deepEqual(statuses('/api/v1/feed', 'get'), ['200', '400', '401']);
      assert.deepEqual(statuses('/api/v1/users/{id}/posts', 'get'), ['200', '400', '401', '404']);
    });
  });

  describe('bad input', () => {
    it('never answers 5xx', async () => {
      const author = await given.author();
      const post = await given.post(author);
      const json = { 'content-type': 'application/json' };
      for (const [method, url, body, headers] of [
        ['GET', `${API}/posts/%00`, undefined, {}],
        ['GET', `${API}/posts/${'a'.repeat(5000)}`, undefined, {}],
        ['POST', `${API}/posts`, '{not json', json],
        ['POST', `${API}/posts`, '[]', json],
        ['POST', `${API}/posts`, 'null', json],
        ['POST', `${API}/posts`, 'text=hi', { 'content-type': 'application/x-www-form-urlencoded' }],
        ['POST', `${API}/posts`, { text: 'x'.repeat(1_100_000) }, {}],
        ['POST', `${API}/posts`, { text: ['x'] }, {}],
        ['POST', `${API}/posts`, { text: 'x', mediaIds: [null] }, {}],
        ['POST', `${API}/posts`, { text: 'x', mediaIds: [1, 2] }, {}],
        ['PATCH', `${API}/posts/${post.id}`, '{"text":', json],
        ['PATCH', `${API}/posts/${post.id}`, { text: { $ne: '' } }, {}],
        ['DELETE', `${API}/posts/${randomUUID().toUpperCase()}`, undefined, {}],
        ['DELETE', `${API}/posts/00000000-0000-0000-0000-000000000000`, undefined, {}],
      ] as const) {
        const response = await svc.request(method, url, { token: author.accessToken, headers: { ...headers }, ...(body === undefined ? {} : { body }) });
        assert.ok(response.statusCode >= 400 && response.statusCode < 500, `${method} ${url}: ${response.statusCode} ${response.body}`);
      }
      assert.equal((await getPost(svc, post.id)).text, post.text);
      assert.deepEqual(
        svc.answered.filter((entry) => entry.status >= 500),
        [],
      );
    });
  });
});
