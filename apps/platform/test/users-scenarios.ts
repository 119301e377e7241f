/**
 * The users section of API.md spoken through the gateway as a client would: profiles appear
 * after sign-up, follows move counts and fill the lists, and erasing an account takes its
 * profile and its edges with it. Runs against the embedded and the distributed platform.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { assertProblem, call, eventually, type PlatformUnderTest } from './client.ts';

export function usersScenarios(platform: () => PlatformUnderTest): void {
  const users = (method: string, route: string, options?: Parameters<typeof call>[3]) => call(platform().url, method, `/api/v1/users${route}`, options);
  const auth = (method: string, route: string, options?: Parameters<typeof call>[3]) => call(platform().url, method, `/api/v1/auth${route}`, options);
  const password = 'correct horse battery staple';

  const profileOf = async (id: string) => {
    const reply = await users('GET', `/${id}`);
    assert.equal(reply.status, 200, reply.text);
    return reply.body;
  };

  /** Registers through identity; the profile must follow within one second (API.md). */
  async function givenUser() {
    const username = `pf_${randomUUID().slice(0, 8)}`;
    const reply = await auth('POST', '/register', { body: { email: `${username}@example.com`, username, password, displayName: `Person ${username}` } });
    assert.equal(reply.status, 201, reply.text);
    const id = reply.body.user.id as string;
    await eventually(1_000, () => profileOf(id));
    return { id, username, token: reply.body.accessToken as string };
  }

  describe('users through the gateway', () => {
    it('shows a new user’s profile within a second of sign-up, by id and by username', async () => {
      const user = await givenUser();
      const profile = await profileOf(user.id);
      assert.deepEqual(profile, {
        id: user.id,
        username: user.username,
        displayName: `Person ${user.username}`,
        bio: '',
        avatarUrl: null,
        followersCount: 0,
        followingCount: 0,
        createdAt: profile.createdAt,
      });
      assert.deepEqual((await users('GET', `/by-username/${user.username}`)).body, profile);
      assertProblem(await users('GET', `/${randomUUID()}`), 404, 'USERS.NOT_FOUND');
      assertProblem(await users('GET', '/not-an-id'), 400, 'VALIDATION.FAILED');
    });

    it('finds a user whose username is also the name of a sub-resource (posts, followers)', async () => {
      for (const username of ['posts', 'followers']) {
        const reply = await auth('POST', '/register', { body: { email: `${username}-${randomUUID().slice(0, 8)}@example.com`, username, password } });
        assert.equal(reply.status, 201, reply.text);
        const id = reply.body.user.id as string;
        const found = await eventually(1_000, async () => {
          const lookup = await users('GET', `/by-username/${username}`);
          assert.equal(lookup.status, 200, lookup.text);
          return lookup.body;
        });
        assert.equal(found.id, id);
      }
    });

    it('edits the own profile with PATCH /me and refuses what it must', async () => {
      const user = await givenUser();
      const reply = await users('PATCH', '/me', { token: user.token, body: { displayName: 'Renamed', bio: 'About me' } });
      assert.equal(reply.status, 200, reply.text);
      assert.equal(reply.body.displayName, 'Renamed');
      assert.equal((await profileOf(user.id)).bio, 'About me');
      assertProblem(await users('PATCH', '/me', { token: user.token, body: { bio: 'x'.repeat(301) } }), 400, 'VALIDATION.FAILED');
      assertProblem(await users('PATCH', '/me', { token: user.token, body: { followersCount: 9 } }), 400, 'VALIDATION.FAILED');
      assertProblem(await users('PATCH', '/me', { token: user.token, body: { avatarMediaId: randomUUID() } }), 400, 'USERS.UNKNOWN_MEDIA');
      assertProblem(await users('PATCH', '/me', { body: { bio: 'x' } }), 401, 'AUTH.REQUIRED');
    });

    it('follows idempotently, keeps the counts and lists, and refuses following yourself', async () => {
      const fan = await givenUser();
      const star = await givenUser();
      for (let i = 0; i < 2; i++) assert.equal((await users('PUT', `/${star.id}/follow`, { token: fan.token })).status, 204);
      assert.equal((await profileOf(star.id)).followersCount, 1);
      assert.equal((await profileOf(fan.id)).followingCount, 1);
      const followers = await users('GET', `/${star.id}/followers?limit=10`);
      assert.equal(followers.status, 200, followers.text);
      assert.deepEqual(followers.body, { items: [{ id: fan.id, username: fan.username, displayName: `Person ${fan.username}`, avatarUrl: null }], nextCursor: null });
      assert.deepEqual((await users('GET', `/${fan.id}/following`)).body.items.map((item: { id: string }) => item.id), [star.id]);
      assertProblem(await users('PUT', `/${fan.id}/follow`, { token: fan.token }), 400, 'USERS.CANNOT_FOLLOW_SELF');
      assertProblem(await users('PUT', `/${randomUUID()}/follow`, { token: fan.token }), 404, 'USERS.NOT_FOUND');

      assert.equal((await users('DELETE', `/${star.id}/follow`, { token: fan.token })).status, 204);
      assert.equal((await users('DELETE', `/${star.id}/follow`, { token: fan.token })).status, 204);
      assert.equal((await profileOf(star.id)).followersCount, 0);
      assert.deepEqual((await users('GET', `/${star.id}/followers`)).body, { items: [], nextCursor: null });
    });

    it('erases the profile when the account is deleted and fixes the follower’s count', async () => {
      const fan = await givenUser();
      const gone = await givenUser();
      assert.equal((await users('PUT', `/${gone.id}/follow`, { token: fan.token })).status, 204);
      assert.equal((await profileOf(fan.id)).followingCount, 1);
      const deleted = await auth('DELETE', '/me', { token: gone.token, body: { password } });
      assert.equal(deleted.status, 204, deleted.text);
      await eventually(1_000, async () => assertProblem(await users('GET', `/${gone.id}`), 404, 'USERS.NOT_FOUND'));
      assert.equal((await profileOf(fan.id)).followingCount, 0);
      assert.deepEqual((await users('GET', `/${fan.id}/following`)).body, { items: [], nextCursor: null });
    });
  });
}
