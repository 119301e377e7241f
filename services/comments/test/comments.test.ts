/** API.md's comment routes: creating, reading in order and in pages, editing and deleting with their permissions. */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { API, eventually, expectProblem, startComments, type TestComments } from './support/comments.ts';

describe('comments: routes', () => {
  let svc: TestComments;
  before(async () => {
    svc = await startComments();
  });
  after(async () => {
    await svc?.close();
  });

  const post = (token: string | undefined, postId: string, body: unknown) =>
    svc.request('POST', `${API}/posts/${postId}/comments`, { ...(token ? { token } : {}), body });
  const patch = (token: string | undefined, id: string, body: unknown) => svc.request('PATCH', `${API}/comments/${id}`, { ...(token ? { token } : {}), body });
  const remove = (token: string | undefined, id: string) => svc.request('DELETE', `${API}/comments/${id}`, token ? { token } : {});

  describe('POST /posts/:id/comments', () => {
    it('creates the comment (201), shows it with its author and announces comment.created with the post’s author', async () => {
      const writer = await svc.given.user();
      const reader = await svc.given.user({ displayName: 'Reader One' });
      const postId = await svc.givenPost(writer.id);

      const response = await post(reader.accessToken, postId, { text: 'Nice post!' });
      assert.equal(response.statusCode, 201, response.body);
      const created = response.json();
      assert.deepEqual(Object.keys(created).sort(), ['author', 'createdAt', 'id', 'likeCount', 'postId', 'text', 'updatedAt']);
      assert.deepEqual(Object.keys(created.author).sort(), ['avatarUrl', 'displayName', 'id', 'username']);
      assert.equal(created.postId, postId);
      assert.equal(created.author.id, reader.id);
      assert.equal(created.text, 'Nice post!');
      assert.equal(created.likeCount, 0);
      assert.equal(created.createdAt, created.updatedAt);
      assert.ok(!Number.isNaN(Date.parse(created.createdAt)));

      const shown = await eventually(async () => {
        const comment = await svc.comment(created.id);
        assert.equal(comment.author.username, reader.username);
        return comment;
      });
      assert.deepEqual(shown.author, { id: reader.id, username: reader.username, displayName: 'Reader One', avatarUrl: null });
      assert.deepEqual({ ...shown, author: null }, { ...created, author: null });

      const event = await svc.events.waitFor('comment.created', (data) => data.commentId === created.id);
      assert.equal(event.producer, 'comments');
      assert.deepEqual(event.data, { commentId: created.id, postId, postAuthorId: writer.id, authorId: reader.id, text: 'Nice post!', createdAt: created.createdAt });
    });

    it('accepts 1 and 2000 characters and refuses empty, blank, 2001 characters, unknown properties and wrong types with 400', async () => {
      const user = await svc.given.user();
      const postId = await svc.givenPost(user.id);
      assert.equal((await post(user.accessToken, postId, { text: 'x' })).statusCode, 201);
      assert.equal((await post(user.accessToken, postId, { text: 'é'.repeat(2000) })).statusCode, 201);
      for (const body of [{ text: '' }, { text: '   \n\t' }, { text: 'x'.repeat(2001) }, {}, { text: 'hi', postId }, { text: 'hi', likeCount: 5 }, { text: 42 }, { text: null }, [{ text: 'hi' }]]) {
        expectProblem(await post(user.accessToken, postId, body), 400, 'VALIDATION.FAILED');
      }
      assert.equal((await svc.list(postId)).items.length, 2);
    });

    it('answers 404 COMMENTS.POST_NOT_FOUND for an unknown post and for a deleted one', async () => {
      const user = await svc.given.user();
      expectProblem(await post(user.accessToken, randomUUID(), { text: 'hello?' }), 404, 'COMMENTS.POST_NOT_FOUND');

      const postId = await svc.givenPost(user.id);
      await svc.settled(await svc.publish('post.deleted', { postId, authorId: user.id, mediaIds: [], deletedAt: new Date().toISOString() }, 'posts'));
      expectProblem(await post(user.accessToken, postId, { text: 'too late' }), 404, 'COMMENTS.POST_NOT_FOUND');
    });

    it('needs a valid token: 401 without one or with a bad one', async () => {
      const user = await svc.given.user();
      const postId = await svc.givenPost(user.id);
      expectProblem(await post(undefined, postId, { text: 'anonymous' }), 401, 'AUTH.REQUIRED');
      expectProblem(await post('not.a.token', postId, { text: 'forged' }), 401, 'AUTH.INVALID_TOKEN');
      assert.deepEqual((await svc.list(postId)).items, []);
    });

    it('shows an author known only from user.registered, and the newest profile.updated once it arrives', async () => {
      const user = await svc.given.user();
      const postId = await svc.givenPost(user.id);
      const userId = randomUUID();
      const token = await svc.token({ id: userId });
      // Commenting before any event about the user: accepted, names filled in when they arrive.
      const early = await svc.givenComment({ ...user, id: userId, accessToken: token }, postId);
      assert.deepEqual(early.author, { id: userId, username: '', displayName: '', avatarUrl: null });

      await svc.settled(
        await svc.publish('user.registered', { userId, email: 'a@example.test', username: 'late_ada', displayName: 'Ada', roles: ['user'], registeredAt: new Date().toISOString() }, 'identity'),
      );
      assert.deepEqual((await svc.comment(early.id)).author, { id: userId, username: 'late_ada', displayName: 'Ada', avatarUrl: null });

      await svc.settled(await svc.publish('profile.updated', { userId, username: 'late_ada', displayName: 'Ada L.', bio: 'hi', avatarUrl: 'https://cdn.example/a.webp' }, 'users'));
      assert.deepEqual((await svc.comment(early.id)).author, { id: userId, username: 'late_ada', displayName: 'Ada L.', avatarUrl: 'https://cdn.example/a.webp' });

      // A user.registered delivered again (or late) doesn't undo the profile.
      await svc.settled(
        await svc.publish('user.registered', { userId, email: 'a@example.test', username: 'late_ada', displayName: 'Ada', roles: ['user'], registeredAt: new Date().toISOString() }, 'identity'),
      );
      assert.equal((await svc.comment(early.id)).author.displayName, 'Ada L.');
    });
  });

  describe('GET /posts/:id/comments', () => {
    it('lists oldest first in pages of `limit` with an opaque cursor, the same for anyone', async () => {
      const author = await svc.given.user();
      const postId = await svc.givenPost(author.id);
      const otherPost = await svc.givenPost(author.id);
      const written = [];
      for (let i = 0; i < 5; i++) written.push(await svc.givenComment(author, postId, `comment ${i}`));
      await svc.givenComment(author, otherPost, 'elsewhere');

      const all = await svc.list(postId);
      assert.deepEqual(
        all.items.map((item) => item.text),
        written.map((comment) => comment.text),
      );
      assert.equal(all.nextCursor, null);

      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: { items: { id: string }[]; nextCursor: string | null } = await svc.list(postId, `limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        assert.ok(page.items.length <= 2);
        seen.push(...page.items.map((item) => item.id));
        cursor = page.nextCursor;
        pages++;
      } while (cursor !== null && pages < 10);
      assert.equal(pages, 3);
      assert.deepEqual(
        seen,
        written.map((comment) => comment.id),
      );

      const signedIn = await svc.request('GET', `${API}/posts/${postId}/comments?limit=100`, { token: author.accessToken });
      assert.equal(signedIn.statusCode, 200, signedIn.body);
      assert.deepEqual(signedIn.json(), all);
    });

    it('orders comments made in the same millisecond by id, and pages through them without loss', async () => {
      const author = await svc.given.user();
      const postId = await svc.givenPost(author.id);
      const written = await Promise.all(Array.from({ length: 6 }, (_, i) => svc.givenComment(author, postId, `burst ${i}`)));
      const expected = [...written].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id)).map((comment) => comment.id);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { items: { id: string }[]; nextCursor: string | null } = await svc.list(postId, `limit=1${cursor ? `&cursor=${cursor}` : ''}`);
        seen.push(...page.items.map((item) => item.id));
        cursor = page.nextCursor;
      } while (cursor !== null && seen.length < 20);
      assert.deepEqual(seen, expected);
    });

    it('answers 404 for an unknown or deleted post and 400 for a bad limit, cursor or id', async () => {
      const author = await svc.given.user();
      const postId = await svc.givenPost(author.id);
      await svc.givenComment(author, postId);
      for (const query of ['limit=0', 'limit=101', 'limit=abc', 'cursor=not-a-cursor', `cursor=${Buffer.from('2024-01-01T00:00:00.000Z_nope').toString('base64url')}`, 'unknown=1']) {
        expectProblem(await svc.request('GET', `${API}/posts/${postId}/comments?${query}`), 400, 'VALIDATION.FAILED');
      }
      expectProblem(await svc.request('GET', `${API}/posts/${randomUUID()}/comments`), 404, 'COMMENTS.POST_NOT_FOUND');
      expectProblem(await svc.request('GET', `${API}/posts/not-a-uuid/comments`), 400, 'VALIDATION.FAILED');

      await svc.settled(await svc.publish('post.deleted', { postId, authorId: author.id, mediaIds: [], deletedAt: new Date().toISOString() }, 'posts'));
      expectProblem(await svc.request('GET', `${API}/posts/${postId}/comments`), 404, 'COMMENTS.POST_NOT_FOUND');
    });
  });

  describe('GET /comments/:id', () => {
    it('answers the comment, 404 COMMENTS.NOT_FOUND for an unknown one and 400 for a malformed id', async () => {
      const author = await svc.given.user();
      const created = await svc.givenComment(author, await svc.givenPost(author.id));
      assert.equal((await svc.comment(created.id)).id, created.id);
      expectProblem(await svc.request('GET', `${API}/comments/${randomUUID()}`), 404, 'COMMENTS.NOT_FOUND');
      expectProblem(await svc.request('GET', `${API}/comments/123`), 400, 'VALIDATION.FAILED');
    });
  });

  describe('PATCH /comments/:id', () => {
    it('lets the author change the text (200, updatedAt moves) and refuses everyone else with 403 COMMENTS.FORBIDDEN', async () => {
      const postAuthor = await svc.given.user();
      const author = await svc.given.user();
      const admin = await svc.given.user({ roles: ['user', 'admin'] });
      const postId = await svc.givenPost(postAuthor.id);
      const created = await svc.givenComment(author, postId, 'first draft');

      const response = await patch(author.accessToken, created.id, { text: 'second draft' });
      assert.equal(response.statusCode, 200, response.body);
      const edited = response.json();
      assert.equal(edited.text, 'second draft');
      assert.equal(edited.id, created.id);
      assert.equal(edited.createdAt, created.createdAt);
      assert.ok(edited.updatedAt >= created.updatedAt);
      assert.equal((await svc.comment(created.id)).text, 'second draft');

      for (const other of [postAuthor, admin]) expectProblem(await patch(other.accessToken, created.id, { text: 'hijacked' }), 403, 'COMMENTS.FORBIDDEN');
      assert.equal((await svc.comment(created.id)).text, 'second draft');
    });

    it('answers 404 for an unknown comment, 400 for bad bodies and ids, 401 without a token', async () => {
      const author = await svc.given.user();
      const created = await svc.givenComment(author, await svc.givenPost(author.id));
      expectProblem(await patch(author.accessToken, randomUUID(), { text: 'x' }), 404, 'COMMENTS.NOT_FOUND');
      expectProblem(await patch(author.accessToken, 'nope', { text: 'x' }), 400, 'VALIDATION.FAILED');
      for (const body of [{}, { text: '' }, { text: 'x'.repeat(2001) }, { text: 'x', authorId: randomUUID() }]) {
        expectProblem(await patch(author.accessToken, created.id, body), 400, 'VALIDATION.FAILED');
      }
      expectProblem(await patch(undefined, created.id, { text: 'x' }), 401, 'AUTH.REQUIRED');
      assert.equal((await svc.comment(created.id)).text, created.text);
    });
  });

  describe('DELETE /comments/:id', () => {
    it('lets the comment’s author, the post’s author and an admin delete (204, comment.deleted), and nobody else (403)', async () => {
      const postAuthor = await svc.given.user();
      const commenter = await svc.given.user();
      const admin = await svc.given.user({ roles: ['user', 'admin'] });
      const stranger = await svc.given.user();
      const seller = await svc.given.user({ roles: ['user', 'seller'] });
      const postId = await svc.givenPost(postAuthor.id);

      for (const deleter of [commenter, postAuthor, admin]) {
        const created = await svc.givenComment(commenter, postId, `for ${deleter.username}`);
        for (const other of [stranger, seller]) expectProblem(await remove(other.accessToken, created.id), 403, 'COMMENTS.FORBIDDEN');
        assert.equal((await svc.comment(created.id)).id, created.id);

        const response = await remove(deleter.accessToken, created.id);
        assert.equal(response.statusCode, 204, response.body);
        assert.equal(response.body, '');
        expectProblem(await svc.request('GET', `${API}/comments/${created.id}`), 404, 'COMMENTS.NOT_FOUND');
        expectProblem(await remove(deleter.accessToken, created.id), 404, 'COMMENTS.NOT_FOUND');
        const event = await svc.events.waitFor('comment.deleted', (data) => data.commentId === created.id);
        assert.deepEqual({ ...event.data, deletedAt: null }, { commentId: created.id, postId, authorId: commenter.id, deletedAt: null });
      }
      assert.deepEqual((await svc.list(postId)).items, []);
    });

    it('answers 404 for an unknown comment, 400 for a malformed id and 401 without a token', async () => {
      const user = await svc.given.user();
      const created = await svc.givenComment(user, await svc.givenPost(user.id));
      expectProblem(await remove(user.accessToken, randomUUID()), 404, 'COMMENTS.NOT_FOUND');
      expectProblem(await remove(user.accessToken, 'x'), 400, 'VALIDATION.FAILED');
      expectProblem(await remove(undefined, created.id), 401, 'AUTH.REQUIRED');
      assert.equal((await svc.comment(created.id)).id, created.id);
    });
  });
  describe('GET /openapi.json', () => {
    it('documents every route with every status it answers', async () => {
      const response = await svc.request('GET', '/openapi.json');
      assert.equal(response.statusCode, 200, response.body);
      const paths = response.json().paths;
      const statuses = (path: string, method: string) => Object.keys(paths[path][method].responses).sort();
      assert.deepEqual(statuses('/api/v1/posts/{id}/comments', 'post'), ['201', '400', '401', '403', '404', '413', '415']);
      assert.deepEqual(statuses('/api/v1/posts/{id}/comments', 'get'), ['200', '400', '401', '404']);
      assert.deepEqual(statuses('/api/v1/comments/{id}', 'get'), ['200', '400', '401', '404']);
      assert.deepEqual(statuses('/api/v1/comments/{id}', 'patch'), ['200', '400', '401', '403', '404', '413', '415']);
      assert.deepEqual(statuses('/api/v1/comments/{id}', 'delete'), ['204', '400', '401', '403', '404']);
    });
  });

  describe('bad input', () => {
    it('answers 4xx, never 5xx, to malformed ids, bodies, cursors and content', async () => {
      const user = await svc.given.user();
      const postId = await svc.givenPost(user.id);
      const comment = await svc.givenComment(user, postId);
      const cursorOf = (position: string) => Buffer.from(position).toString('base64url');
      const json = { 'content-type': 'application/json' };
      const cases: [method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown, headers?: Record<string, string>][] = [
        ['GET', `${API}/posts/%00/comments`],
        ['GET', `${API}/posts/${'a'.repeat(5000)}/comments`],
        ['GET', `${API}/posts/${postId}/comments?limit=-1`],
        ['GET', `${API}/posts/${postId}/comments?limit=1e999`],
        ['GET', `${API}/posts/${postId}/comments?limit=1&limit=2`],
        ['GET', `${API}/posts/${postId}/comments?cursor=${'A'.repeat(600)}`],
        ['GET', `${API}/posts/${postId}/comments?cursor=%ZZ`],
        ['GET', `${API}/posts/${postId}/comments?cursor=${cursorOf(`0000-01-01T00:00:00.000Z_${comment.id}`)}`],
        ['GET', `${API}/posts/${postId}/comments?cursor=${cursorOf(`2024-02-30T00:00:00.000Z_${comment.id}`)}`],
        ['GET', `${API}/posts/${postId}/comments?cursor=${cursorOf(`+275760-09-13T00:00:00.000Z_${comment.id}`)}`],
        ['GET', `${API}/posts/${postId}/comments?cursor=${cursorOf(`${comment.createdAt}_${comment.id}_x`)}`],
        ['GET', `${API}/posts/${postId}/comments?cursor=${cursorOf('\u0000')}`],
        ['GET', `${API}/comments/${randomUUID().toUpperCase()}x`],
        ['POST', `${API}/posts/${postId}/comments`, '{not json', json],
        ['POST', `${API}/posts/${postId}/comments`, '', json],
        ['POST', `${API}/posts/${postId}/comments`, 'text=hi', { 'content-type': 'application/x-www-form-urlencoded' }],
        ['POST', `${API}/posts/${postId}/comments`, 'hi', { 'content-type': 'text/plain' }],
        ['POST', `${API}/posts/${postId}/comments`, JSON.stringify({ text: 'x'.repeat(1024 * 1024) }), json],
        ['POST', `${API}/posts/${postId}/comments`, { text: 'nul \u0000 inside' }],
        ['POST', `${API}/posts/${postId}/comments`, { text: ['hi'] }],
        ['POST', `${API}/posts/${postId}/comments`, { text: { $gt: '' } }],
        ['POST', `${API}/posts/${postId}/comments`, { __proto__: { text: 'x' } }],
        ['POST', `${API}/posts/${postId}/comments`, 'null', json],
        ['POST', `${API}/posts/${postId}/comments`, '"text"', json],
        ['PATCH', `${API}/comments/${comment.id}`, [], json],
        ['PATCH', `${API}/comments/${comment.id}`, { text: 'ok', extra: true }],
        ['PATCH', `${API}/comments/%2e%2e`, { text: 'x' }],
        ['DELETE', `${API}/comments/${comment.id}x`],
      ];
      for (const [method, url, body, headers] of cases) {
        const response = await svc.request(method, url, { token: user.accessToken, ...(body === undefined ? {} : { body }), ...(headers ? { headers } : {}) });
        assert.ok(response.statusCode >= 400 && response.statusCode < 500, `${method} ${url}: ${response.statusCode} ${response.body}`);
        assert.match(String(response.headers['content-type']), /application\/problem\+json/);
      }
      // Half a surrogate pair is not text; a whole one (an emoji) is.
      expectProblem(
        await svc.request('POST', `${API}/posts/${postId}/comments`, { token: user.accessToken, body: '{"text":"half \\ud800 a pair"}', headers: json }),
        400,
        'VALIDATION.FAILED',
      );
      assert.equal((await svc.givenComment(user, postId, 'whole 😀 pair')).text, 'whole 😀 pair');

      assert.equal((await svc.comment(comment.id)).text, comment.text);
      assert.deepEqual(
        svc.answered.filter((entry) => entry.status >= 500),
        [],
      );
    });
  });
});
