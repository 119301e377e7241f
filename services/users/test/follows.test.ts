/** API.md's follow routes: idempotence, counts, races, lists, and the graph surviving account erasure. */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { eventually, expectProblem, startUsers, USERS, AUTH, type TestUsers } from './support/users.ts';

describe('users: follows', () => {
  let users: TestUsers;
  before(async () => {
    users = await startUsers();
  });
  after(async () => {
    await users?.close();
  });

  const follow = (token: string, id: string) => users.request('PUT', `${USERS}/${id}/follow`, { token });
  const unfollow = (token: string, id: string) => users.request('DELETE', `${USERS}/${id}/follow`, { token });
  const counts = async (id: string) => {
    const profile = await users.profile(id);
    return { followers: profile.followersCount, following: profile.followingCount };
  };
  const page = async (url: string) => {
    const response = await users.request('GET', url);
    assert.equal(response.statusCode, 200, response.body);
    return response.json();
  };

  describe('PUT and DELETE /:id/follow', () => {
    it('follows once however often it is asked, moves both counts and announces only the change', async () => {
      const alice = await users.given.user();
      const bob = await users.given.user();
      for (let i = 0; i < 2; i++) {
        const response = await follow(alice.accessToken, bob.id);
        assert.equal(response.statusCode, 204, response.body);
        assert.equal(response.body, '');
      }
      assert.deepEqual(await counts(bob.id), { followers: 1, following: 0 });
      assert.deepEqual(await counts(alice.id), { followers: 0, following: 1 });
      await users.events.waitFor('user.followed', (data) => data.followerId === alice.id && data.followeeId === bob.id);

      for (let i = 0; i < 2; i++) assert.equal((await unfollow(alice.accessToken, bob.id)).statusCode, 204);
      assert.deepEqual(await counts(bob.id), { followers: 0, following: 0 });
      assert.deepEqual(await counts(alice.id), { followers: 0, following: 0 });
      await users.events.waitFor('user.unfollowed', (data) => data.followerId === alice.id && data.followeeId === bob.id);
      // Give the outbox a moment to publish anything it wrongly wrote for the repeats.
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(users.events.count('user.followed', (data) => data.followerId === alice.id), 1);
      assert.equal(users.events.count('user.unfollowed', (data) => data.followerId === alice.id), 1);
    });

    it('counts ten simultaneous follows as one', async () => {
      const alice = await users.given.user();
      const bob = await users.given.user();
      const responses = await Promise.all(Array.from({ length: 10 }, () => follow(alice.accessToken, bob.id)));
      for (const response of responses) assert.equal(response.statusCode, 204, response.body);
      assert.deepEqual(await counts(bob.id), { followers: 1, following: 0 });
      assert.deepEqual(await counts(alice.id), { followers: 0, following: 1 });
      await Promise.all(Array.from({ length: 10 }, () => unfollow(alice.accessToken, bob.id)));
      assert.deepEqual(await counts(bob.id), { followers: 0, following: 0 });
    });

    it('refuses to follow yourself with 400 USERS.CANNOT_FOLLOW_SELF', async () => {
      const alice = await users.given.user();
      expectProblem(await follow(alice.accessToken, alice.id), 400, 'USERS.CANNOT_FOLLOW_SELF');
      expectProblem(await unfollow(alice.accessToken, alice.id), 400, 'USERS.CANNOT_FOLLOW_SELF');
      assert.deepEqual(await counts(alice.id), { followers: 0, following: 0 });
    });

    it('answers 404 for an unknown user, 400 for a malformed id and 401 without a token', async () => {
      const alice = await users.given.user();
      expectProblem(await follow(alice.accessToken, randomUUID()), 404, 'USERS.NOT_FOUND');
      expectProblem(await follow(alice.accessToken, 'bob'), 400, 'VALIDATION.FAILED');
      expectProblem(await users.request('PUT', `${USERS}/${alice.id}/follow`), 401, 'AUTH.REQUIRED');
      assert.deepEqual(await counts(alice.id), { followers: 0, following: 0 });
    });
  });

  describe('GET /:id/followers and /:id/following', () => {
    it('pages newest edge first with limit and an opaque cursor', async () => {
      const star = await users.given.user();
      const fans = [];
      for (let i = 0; i < 5; i++) {
        const fan = await users.given.user();
        assert.equal((await follow(fan.accessToken, star.id)).statusCode, 204);
        fans.push(fan);
      }
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const result: { items: { id: string }[]; nextCursor: string | null } = await page(`${USERS}/${star.id}/followers?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        assert.ok(result.items.length <= 2);
        for (const item of result.items) assert.deepEqual(Object.keys(item).sort(), ['avatarUrl', 'displayName', 'id', 'username']);
        seen.push(...result.items.map((item) => item.id));
        cursor = result.nextCursor;
        pages++;
      } while (cursor !== null && pages < 10);
      assert.equal(pages, 3);
      assert.deepEqual(seen, fans.map((fan) => fan.id).reverse());

      const following = await page(`${USERS}/${fans[0]!.id}/following`);
      assert.deepEqual(following, { items: [{ id: star.id, username: star.username, displayName: star.username, avatarUrl: null }], nextCursor: null });
      assert.deepEqual(await page(`${USERS}/${star.id}/following`), { items: [], nextCursor: null });
    });

    it('rejects a bad limit or cursor with 400 and an unknown user with 404', async () => {
      const alice = await users.given.user();
      for (const query of ['limit=0', 'limit=101', 'limit=abc', 'cursor=not-a-cursor', 'unknown=1']) {
        expectProblem(await users.request('GET', `${USERS}/${alice.id}/followers?${query}`), 400, 'VALIDATION.FAILED');
      }
      expectProblem(await users.request('GET', `${USERS}/${randomUUID()}/following`), 404, 'USERS.NOT_FOUND');
      expectProblem(await users.request('GET', `${USERS}/nope/following`), 400, 'VALIDATION.FAILED');
    });
  });

  describe('user.deleted', () => {
    it('erases the user with every edge and fixes the counts of the users on the other end', async () => {
      const gone = await users.given.user();
      const fan = await users.given.user();
      const idol = await users.given.user();
      assert.equal((await follow(fan.accessToken, gone.id)).statusCode, 204);
      assert.equal((await follow(gone.accessToken, idol.id)).statusCode, 204);
      assert.equal((await follow(fan.accessToken, idol.id)).statusCode, 204);

      const response = await users.identity('DELETE', `${AUTH}/me`, { token: gone.accessToken, body: { password: gone.password } });
      assert.equal(response.statusCode, 204, response.body);
      await eventually(async () => expectProblem(await users.request('GET', `${USERS}/${gone.id}`), 404, 'USERS.NOT_FOUND'));

      assert.deepEqual(await counts(fan.id), { followers: 0, following: 1 });
      assert.deepEqual(await counts(idol.id), { followers: 1, following: 0 });
      assert.deepEqual((await page(`${USERS}/${fan.id}/following`)).items.map((item: { id: string }) => item.id), [idol.id]);
      assert.deepEqual((await page(`${USERS}/${idol.id}/followers`)).items.map((item: { id: string }) => item.id), [fan.id]);
      expectProblem(await follow(fan.accessToken, gone.id), 404, 'USERS.NOT_FOUND');
    });

    it('takes a repeated user.deleted as harmless', async () => {
      const gone = await users.given.user();
      const fan = await users.given.user();
      assert.equal((await follow(fan.accessToken, gone.id)).statusCode, 204);
      const deletion = { userId: gone.id, deletedAt: new Date().toISOString() };
      await users.publish('user.deleted', deletion);
      await users.publish('user.deleted', deletion);
      await eventually(async () => expectProblem(await users.request('GET', `${USERS}/${gone.id}`), 404, 'USERS.NOT_FOUND'));
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.deepEqual(await counts(fan.id), { followers: 0, following: 0 });
    });
  });
});
