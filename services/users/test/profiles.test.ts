/** API.md's profile routes and the projections behind them: accounts from identity, avatars from media. */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { answered, eventually, expectProblem, startUsers, USERS, AUTH, type TestUsers } from './support/users.ts';

describe('users: profiles', () => {
  let users: TestUsers;
  before(async () => {
    users = await startUsers();
  });
  after(async () => {
    await users?.close();
  });

  const patchMe = (token: string, body: unknown) => users.request('PATCH', `${USERS}/me`, { token, body });

  describe('GET /:id and /by-username/:username', () => {
    it('shows the profile user.registered created, by id and by username', async () => {
      const user = await users.given.user({ displayName: 'Ada L.' });
      const profile = await users.profile(user.id);
      assert.deepEqual(Object.keys(profile).sort(), ['avatarUrl', 'bio', 'createdAt', 'displayName', 'followersCount', 'followingCount', 'id', 'username']);
      assert.equal(profile.id, user.id);
      assert.equal(profile.username, user.username);
      assert.equal(profile.displayName, 'Ada L.');
      assert.equal(profile.bio, '');
      assert.equal(profile.avatarUrl, null);
      assert.equal(profile.followersCount, 0);
      assert.equal(profile.followingCount, 0);
      assert.ok(!Number.isNaN(Date.parse(profile.createdAt)));

      const byName = await users.request('GET', `${USERS}/by-username/${user.username}`);
      assert.equal(byName.statusCode, 200, byName.body);
      assert.deepEqual(byName.json(), profile);
    });

    it('answers 400 for a malformed id and 404 for an unknown user', async () => {
      expectProblem(await users.request('GET', `${USERS}/not-a-uuid`), 400, 'VALIDATION.FAILED');
      expectProblem(await users.request('GET', `${USERS}/${randomUUID()}`), 404, 'USERS.NOT_FOUND');
      expectProblem(await users.request('GET', `${USERS}/by-username/nobody_${Date.now()}`), 404, 'USERS.NOT_FOUND');
    });

    it('takes a repeated user.registered as harmless', async () => {
      const user = await users.given.user();
      await patchMe(user.accessToken, { bio: 'edited after sign-up' });
      await users.publish('user.registered', {
        userId: user.id,
        email: 'x@example.test',
        username: user.username,
        displayName: 'Someone Else',
        roles: ['user'],
        registeredAt: new Date().toISOString(),
      });
      const marker = await users.given.user();
      assert.ok(marker.id);
      const profile = await users.profile(user.id);
      assert.equal(profile.bio, 'edited after sign-up');
      assert.equal(profile.displayName, user.username);
    });

    it('creates no profile when user.deleted overtakes user.registered', async () => {
      const userId = randomUUID();
      await users.publish('user.deleted', { userId, deletedAt: new Date().toISOString() });
      await users.publish('user.registered', { userId, email: 'late@example.test', username: 'late_one', displayName: 'Late', roles: ['user'], registeredAt: new Date().toISOString() });
      // Events after these two on the same bus are processed after them too, most of the time; wait for a later one and a moment more.
      await users.given.user();
      await new Promise((resolve) => setTimeout(resolve, 200));
      expectProblem(await users.request('GET', `${USERS}/${userId}`), 404, 'USERS.NOT_FOUND');
    });
  });

  describe('PATCH /me', () => {
    it('changes displayName and bio, answers the profile and announces profile.updated', async () => {
      const user = await users.given.user();
      const response = await patchMe(user.accessToken, { displayName: 'New Name', bio: 'Hello there' });
      assert.equal(response.statusCode, 200, response.body);
      assert.equal(response.json().displayName, 'New Name');
      assert.equal(response.json().bio, 'Hello there');
      assert.deepEqual(await users.profile(user.id), response.json());
      const event = await users.events.waitFor('profile.updated', (data) => data.userId === user.id);
      assert.deepEqual(event.data, { userId: user.id, username: user.username, displayName: 'New Name', bio: 'Hello there', avatarUrl: null });
    });

    it('accepts a 300-character bio and refuses 301, an empty or 51-character displayName and unknown properties', async () => {
      const user = await users.given.user();
      assert.equal((await patchMe(user.accessToken, { bio: 'b'.repeat(300) })).statusCode, 200);
      for (const body of [{ bio: 'b'.repeat(301) }, { displayName: '' }, { displayName: 'd'.repeat(51) }, { username: 'hijack' }, { followersCount: 1000 }, { bio: 42 }, { avatarMediaId: 'nope' }]) {
        expectProblem(await patchMe(user.accessToken, body), 400, 'VALIDATION.FAILED');
      }
      assert.equal((await users.profile(user.id)).bio, 'b'.repeat(300));
    });

    it('needs a token: 401 without one', async () => {
      expectProblem(await users.request('PATCH', `${USERS}/me`, { body: { bio: 'x' } }), 401, 'AUTH.REQUIRED');
      expectProblem(await users.request('PATCH', `${USERS}/me`, { body: { bio: 'x' }, token: 'not.a.token' }), 401, 'AUTH.INVALID_TOKEN');
    });

    it('sets an uploaded image as avatar (its thumbnail), clears it with null, and refuses media that is unknown or someone else’s', async () => {
      const user = await users.given.user();
      const other = await users.given.user();
      const mine = randomUUID();
      const theirs = randomUUID();
      await users.publish('media.uploaded', { mediaId: mine, ownerId: user.id, url: 'https://cdn.example/a.png', thumbnailUrl: 'https://cdn.example/a-thumb.webp', contentType: 'image/png' }, 'media');
      await users.publish('media.uploaded', { mediaId: theirs, ownerId: other.id, url: 'https://cdn.example/b.png', thumbnailUrl: null, contentType: 'image/png' }, 'media');

      const set = await eventually(async () => {
        const response = await patchMe(user.accessToken, { avatarMediaId: mine });
        assert.equal(response.statusCode, 200, response.body);
        return response.json();
      });
      assert.equal(set.avatarUrl, 'https://cdn.example/a-thumb.webp');
      await users.events.waitFor('profile.updated', (data) => data.userId === user.id && data.avatarUrl === 'https://cdn.example/a-thumb.webp');

      expectProblem(await patchMe(user.accessToken, { avatarMediaId: randomUUID() }), 400, 'USERS.UNKNOWN_MEDIA');
      await eventually(async () => assert.equal((await patchMe(other.accessToken, { avatarMediaId: theirs })).json().avatarUrl, 'https://cdn.example/b.png'));
      expectProblem(await patchMe(user.accessToken, { avatarMediaId: theirs }), 400, 'USERS.UNKNOWN_MEDIA');
      assert.equal((await users.profile(user.id)).avatarUrl, 'https://cdn.example/a-thumb.webp');

      const cleared = await patchMe(user.accessToken, { avatarMediaId: null });
      assert.equal(cleared.statusCode, 200, cleared.body);
      assert.equal(cleared.json().avatarUrl, null);
    });

    it('drops the avatar when media.deleted removes it, and announces the change', async () => {
      const user = await users.given.user();
      const mediaId = randomUUID();
      await users.publish('media.uploaded', { mediaId, ownerId: user.id, url: 'https://cdn.example/c.png', thumbnailUrl: null, contentType: 'image/png' }, 'media');
      await eventually(async () => assert.equal((await patchMe(user.accessToken, { avatarMediaId: mediaId })).statusCode, 200));
      await users.publish('media.deleted', { mediaId, ownerId: user.id }, 'media');
      await eventually(async () => assert.equal((await users.profile(user.id)).avatarUrl, null));
      await users.events.waitFor('profile.updated', (data) => data.userId === user.id && data.avatarUrl === null);
      expectProblem(await patchMe(user.accessToken, { avatarMediaId: mediaId }), 400, 'USERS.UNKNOWN_MEDIA');
    });
  });

  describe('account deletion', () => {
    it('erases the profile when identity erases the account', async () => {
      const user = await users.given.user();
      const response = await users.identity('DELETE', `${AUTH}/me`, { token: user.accessToken, body: { password: user.password } });
      assert.equal(response.statusCode, 204, response.body);
      await eventually(async () => expectProblem(await users.request('GET', `${USERS}/${user.id}`), 404, 'USERS.NOT_FOUND'));
      expectProblem(await users.request('GET', `${USERS}/by-username/${user.username}`), 404, 'USERS.NOT_FOUND');
    });
  });

  describe('bad input', () => {
    it('never answers 5xx', async () => {
      const user = await users.given.user();
      for (const [method, url, body] of [
        ['GET', `${USERS}/%00`, undefined],
        ['GET', `${USERS}/${'a'.repeat(5000)}`, undefined],
        ['GET', `${USERS}/by-username/${'x'.repeat(300)}`, undefined],
        ['PATCH', `${USERS}/me`, '{not json'],
        ['PATCH', `${USERS}/me`, []],
        ['PATCH', `${USERS}/me`, { displayName: null }],
      ] as const) {
        const response = await users.request(method, url, { token: user.accessToken, ...(body === undefined ? {} : { body, headers: { 'content-type': 'application/json' } }) });
        assert.ok(response.statusCode >= 400 && response.statusCode < 500, `${method} ${url}: ${response.statusCode} ${response.body}`);
      }
      const failures = answered.filter((entry) => entry.status >= 500);
      assert.deepEqual(failures, []);
    });
  });
});
