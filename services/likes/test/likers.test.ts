/**
 * GET /posts/:id/likes: who likes a post, newest like first, in pages, with names kept current by
 * profile events; and a battery of malformed requests against every route, none answered 5xx.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { eventually, expectProblem } from '@agora/kit/testing/service-harness';
import { API, likersOf, startLikes, type TestLikes } from './support/likes.ts';

describe('likes: GET /posts/:id/likes, and bad input on every route', () => {
  let svc: TestLikes;
  before(async () => {
    svc = await startLikes();
  });
  after(async () => {
    await svc?.close();
  });

  const like = (token: string, postId: string) => svc.request('PUT', `${API}/posts/${postId}/like`, { token });
  const unlike = (token: string, postId: string) => svc.request('DELETE', `${API}/posts/${postId}/like`, { token });

  it('pages newest like first with limit and an opaque cursor, each item { id, username, displayName, avatarUrl }', async () => {
    const post = await svc.post();
    const fans = [];
    for (let i = 0; i < 5; i++) {
      const fan = await svc.liker({ displayName: `Fan ${i}` });
      assert.equal((await like(fan.accessToken, post.id)).statusCode, 204);
      fans.push(fan);
    }
    const seen: unknown[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await likersOf(svc, post.id, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      assert.ok(page.items.length <= 2);
      seen.push(...page.items);
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== null && pages < 10);
    assert.equal(pages, 3);
    assert.deepEqual(
      seen,
      fans.reverse().map((fan) => ({ id: fan.id, username: fan.username, displayName: fan.displayName, avatarUrl: null })),
    );
  });

  it('answers 20 likers by default, then the rest', async () => {
    const post = await svc.post();
    const fans = await Promise.all(Array.from({ length: 21 }, () => svc.liker()));
    for (const fan of fans) assert.equal((await like(fan.accessToken, post.id)).statusCode, 204);
    const first = await likersOf(svc, post.id);
    assert.equal(first.items.length, 20);
    assert.ok(first.nextCursor);
    const rest = await likersOf(svc, post.id, `?cursor=${first.nextCursor}`);
    assert.deepEqual(rest, { items: [{ id: fans[0]!.id, username: fans[0]!.username, displayName: fans[0]!.displayName, avatarUrl: null }], nextCursor: null });
  });

  it('leaves out whoever took their like back and puts a renewed like first', async () => {
    const post = await svc.post();
    const [ann, ben, cid] = [await svc.liker(), await svc.liker(), await svc.liker()];
    for (const user of [ann, ben, cid]) assert.equal((await like(user.accessToken, post.id)).statusCode, 204);
    assert.equal((await unlike(ben.accessToken, post.id)).statusCode, 204);
    assert.deepEqual((await likersOf(svc, post.id)).items.map((item) => item.id), [cid.id, ann.id]);
    assert.equal((await unlike(ann.accessToken, post.id)).statusCode, 204);
    assert.equal((await like(ann.accessToken, post.id)).statusCode, 204);
    assert.deepEqual((await likersOf(svc, post.id)).items.map((item) => item.id), [ann.id, cid.id]);
  });

  it('shows each liker as their last profile.updated says', async () => {
    const post = await svc.post();
    const user = await svc.liker();
    assert.equal((await like(user.accessToken, post.id)).statusCode, 204);
    await svc.deliver('profile.updated', { userId: user.id, username: user.username, displayName: 'Renamed', bio: 'hi', avatarUrl: 'https://cdn.example/a-thumb.webp' }, 'users');
    assert.deepEqual((await likersOf(svc, post.id)).items, [{ id: user.id, username: user.username, displayName: 'Renamed', avatarUrl: 'https://cdn.example/a-thumb.webp' }]);
    // A user.registered delivered late doesn't undo what the profile says.
    await svc.deliver('user.registered', { userId: user.id, email: 'x@example.test', username: user.username, displayName: 'Original', roles: ['user'], registeredAt: new Date().toISOString() }, 'identity');
    assert.equal((await likersOf(svc, post.id)).items[0]?.displayName, 'Renamed');
  });

  it('shows a like as soon as the liker’s name arrives', async () => {
    const post = await svc.post();
    const userId = randomUUID();
    assert.equal((await like(await svc.token({ id: userId }), post.id)).statusCode, 204);
    assert.deepEqual((await likersOf(svc, post.id)).items, []);
    await svc.publish('user.registered', { userId, email: 'n@example.test', username: 'newcomer', displayName: 'New', roles: ['user'], registeredAt: new Date().toISOString() }, 'identity');
    await eventually(async () => assert.deepEqual((await likersOf(svc, post.id)).items, [{ id: userId, username: 'newcomer', displayName: 'New', avatarUrl: null }]));
  });

  it('is readable without a token, but not with a bad one', async () => {
    const post = await svc.post();
    assert.deepEqual(await likersOf(svc, post.id), { items: [], nextCursor: null });
    expectProblem(await svc.request('GET', `${API}/posts/${post.id}/likes`, { token: 'bad.token.here' }), 401, 'AUTH.INVALID_TOKEN');
  });

  it('answers 404 LIKES.POST_NOT_FOUND for an unknown or deleted post', async () => {
    expectProblem(await svc.request('GET', `${API}/posts/${randomUUID()}/likes`), 404, 'LIKES.POST_NOT_FOUND');
    const post = await svc.post();
    await svc.deliver('post.deleted', { postId: post.id, authorId: post.authorId, mediaIds: [], deletedAt: new Date().toISOString() }, 'posts');
    expectProblem(await svc.request('GET', `${API}/posts/${post.id}/likes`), 404, 'LIKES.POST_NOT_FOUND');
  });

  it('rejects a bad limit, a cursor it never gave out, unknown parameters and a malformed id with 400', async () => {
    const post = await svc.post();
    const forged = Buffer.from('12; drop table likes', 'utf8').toString('base64url');
    for (const query of ['limit=0', 'limit=101', 'limit=abc', 'limit=1.5', 'cursor=not-a-cursor', `cursor=${forged}`, `cursor=${'a'.repeat(600)}`, 'unknown=1']) {
      expectProblem(await svc.request('GET', `${API}/posts/${post.id}/likes?${query}`), 400, 'VALIDATION.FAILED');
    }
    expectProblem(await svc.request('GET', `${API}/posts/not-a-uuid/likes`), 400, 'VALIDATION.FAILED');
  });

  describe('bad input', () => {
    it('answers malformed ids, queries, bodies and tokens with 4xx on every route, and nothing with 5xx', async () => {
      const user = await svc.given.user();
      const post = await svc.post();
      const comment = await svc.comment(post);
      const badIds = ['not-a-uuid', '%00', 'a'.repeat(5000), "1'%20or%20'1'='1", '00000000-0000-0000-0000-00000000000g', `${post.id}x`, '%E0%A4%A'];
      const routes = [
        ['PUT', (id: string) => `${API}/posts/${id}/like`],
        ['DELETE', (id: string) => `${API}/posts/${id}/like`],
        ['PUT', (id: string) => `${API}/comments/${id}/like`],
        ['DELETE', (id: string) => `${API}/comments/${id}/like`],
        ['GET', (id: string) => `${API}/posts/${id}/likes`],
      ] as const;
      for (const [method, url] of routes) {
        for (const id of badIds) {
          const response = await svc.request(method, url(id), { token: user.accessToken });
          // Fastify refuses a path segment longer than its maxParamLength before routing: 414.
          const expected = id.length > 100 ? 414 : 400;
          assert.equal(response.statusCode, expected, `${method} ${url(id).slice(0, 80)}: ${response.body.slice(0, 300)}`);
        }
        // The nil UUID is well formed and names nothing.
        assert.equal((await svc.request(method, url('00000000-0000-0000-0000-000000000000'), { token: user.accessToken })).statusCode, 404);
      }

      const likers = `${API}/posts/${post.id}/likes`;
      for (const query of ['limit=-1', 'limit=1e3', 'limit=', 'limit[]=2', 'limit=1&limit=2', 'cursor=%00', 'cursor=', `cursor=${Buffer.from('-5').toString('base64url')}`, `cursor=${Buffer.from('9'.repeat(40)).toString('base64url')}`, 'id=1']) {
        const response = await svc.request('GET', `${likers}?${query}`);
        assert.equal(response.statusCode, 400, `${query}: ${response.body}`);
      }

      const like = `${API}/posts/${post.id}/like`;
      expectProblem(await svc.request('PUT', like, { token: user.accessToken, body: '{not json', headers: { 'content-type': 'application/json' } }), 400, 'HTTP.MALFORMED_BODY');
      expectProblem(await svc.request('PUT', like, { token: user.accessToken, body: '<like/>', headers: { 'content-type': 'application/xml' } }), 415, 'HTTP.UNSUPPORTED_MEDIA_TYPE');
      expectProblem(await svc.request('PUT', like, { token: user.accessToken, body: JSON.stringify({ pad: 'x'.repeat(1_100_000) }), headers: { 'content-type': 'application/json' } }), 413, 'HTTP.PAYLOAD_TOO_LARGE');
      for (const authorization of ['Bearer', 'Basic dXNlcjpwYXNz', `Bearer ${'x'.repeat(5000)}`, 'Bearer a.b.c']) {
        expectProblem(await svc.request('PUT', like, { headers: { authorization } }), 401);
      }
      expectProblem(await svc.request('POST', like, { token: user.accessToken }), 404, 'HTTP.NOT_FOUND');
      expectProblem(await svc.request('PUT', `${API}/comments/${comment.id}/like`, { token: user.accessToken, body: '{"a":', headers: { 'content-type': 'application/json' } }), 400);

      // None of it changed anything.
      assert.equal((await svc.published('post.liked', { postId: post.id })).length, 0);
      assert.equal((await svc.published('comment.liked', { commentId: comment.id })).length, 0);
      assert.ok(svc.answered.length > 50);
      assert.deepEqual(svc.answered.filter((entry) => entry.status >= 500), []);
    });
  });
});
