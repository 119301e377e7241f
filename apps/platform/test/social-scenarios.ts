/**
 * The social sections of API.md (posts and feeds, comments and likes, media, notifications,
 * search) spoken through the gateway as a client would, across every service they involve:
 * a post reaches followers' feeds, counts move by events, notifications arrive live, search
 * finds and forgets, and erasing an account takes its content everywhere with every count put
 * right. Runs against the embedded and the distributed platform.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { assertProblem, call, eventually, seenBodies, type PlatformUnderTest } from './client.ts';

/** A 1×1 PNG: the smallest image media accepts. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

/** API.md: reads made consistent by events catch up within one second on an idle system. */
const CATCH_UP_MS = 1_000;

export function socialScenarios(platform: () => PlatformUnderTest): void {
  const api = (method: string, route: string, options?: Parameters<typeof call>[3]) => call(platform().url, method, `/api/v1${route}`, options);
  const password = 'correct horse battery staple';

  interface Person {
    id: string;
    username: string;
    displayName: string;
    token: string;
  }

  async function givenPerson(name: string): Promise<Person> {
    const username = `${name}_${randomUUID().slice(0, 8)}`;
    const displayName = `${name[0]!.toUpperCase()}${name.slice(1)} Example`;
    const reply = await api('POST', '/auth/register', { body: { email: `${username}@example.com`, username, password, displayName } });
    assert.equal(reply.status, 201, reply.text);
    const person = { id: reply.body.user.id as string, username, displayName, token: reply.body.accessToken as string };
    await eventually(CATCH_UP_MS * 3, async () => assert.equal((await api('GET', `/users/${person.id}`)).status, 200));
    return person;
  }

  const follow = async (who: Person, whom: Person) => assert.equal((await api('PUT', `/users/${whom.id}/follow`, { token: who.token })).status, 204);

  async function upload(who: Person, bytes: Buffer = PNG, type = 'image/png'): Promise<{ status: number; body: any; text: string }> {
    const form = new FormData();
    form.append('file', new Blob([bytes], { type }), 'picture.png');
    const response = await fetch(`${platform().url}/api/v1/media`, { method: 'POST', headers: { authorization: `Bearer ${who.token}` }, body: form });
    const text = await response.text();
    seenBodies.push(text);
    return { status: response.status, body: text ? JSON.parse(text) : null, text };
  }

  /** Posts as `who`; media ids must first be known to posts (from media.uploaded). */
  async function post(who: Person, text: string, mediaIds?: string[]): Promise<any> {
    return eventually(CATCH_UP_MS, async () => {
      const reply = await api('POST', '/posts', { token: who.token, body: { text, ...(mediaIds ? { mediaIds } : {}) } });
      assert.equal(reply.status, 201, reply.text);
      return reply.body;
    });
  }

  const feedOf = async (who: Person) => {
    const reply = await api('GET', '/feed', { token: who.token });
    assert.equal(reply.status, 200, reply.text);
    return reply.body.items as any[];
  };

  const postAs = async (who: Person | null, id: string) => {
    const reply = await api('GET', `/posts/${id}`, who ? { token: who.token } : {});
    assert.equal(reply.status, 200, reply.text);
    return reply.body;
  };

  describe('social through the gateway', () => {
    it('puts a post with its picture in followers’ feeds, not in others’, and serves the picture', async () => {
      const alice = await givenPerson('alice');
      const bob = await givenPerson('bob');
      const carol = await givenPerson('carol');
      await follow(bob, alice);

      const picture = await upload(alice);
      assert.equal(picture.status, 201, picture.text);
      assert.equal(picture.body.contentType, 'image/png');
      assert.deepEqual([picture.body.width, picture.body.height], [1, 1]);
      const bytes = await fetch(picture.body.url.replace(/^https?:\/\/[^/]+/, platform().url));
      assert.equal(bytes.status, 200);
      assert.match(bytes.headers.get('content-type') ?? '', /^image\//);
      assert.ok((await bytes.arrayBuffer()).byteLength > 0);

      const created = await post(alice, 'Hello from the platform', [picture.body.id]);
      assert.equal(created.author.id, alice.id);
      assert.equal(created.author.username, alice.username);
      assert.deepEqual(created.media.map((item: any) => item.id), [picture.body.id]);
      assert.equal(created.likeCount, 0);
      assert.equal(created.commentCount, 0);
      assert.equal(created.likedByMe, false);

      await eventually(CATCH_UP_MS, async () => assert.ok((await feedOf(bob)).some((item) => item.id === created.id), 'in the follower’s feed'));
      assert.ok((await feedOf(alice)).some((item) => item.id === created.id), 'in the author’s own feed');
      assert.ok(!(await feedOf(carol)).some((item) => item.id === created.id), 'not in a stranger’s feed');
      const timeline = await api('GET', `/users/${alice.id}/posts`);
      assert.equal(timeline.status, 200, timeline.text);
      assert.equal(timeline.body.items[0].id, created.id);
    });

    it('counts a like once however often it is given, lists the liker, and moves comment counts', async () => {
      const alice = await givenPerson('alice');
      const bob = await givenPerson('bob');
      const created = await post(alice, 'Like me twice');
      for (let i = 0; i < 2; i++) {
        const liked = await eventually(CATCH_UP_MS, async () => {
          const reply = await api('PUT', `/posts/${created.id}/like`, { token: bob.token });
          assert.equal(reply.status, 204, reply.text);
          return reply;
        });
        assert.equal(liked.text, '');
      }
      await eventually(CATCH_UP_MS, async () => {
        const seen = await postAs(bob, created.id);
        assert.equal(seen.likeCount, 1);
        assert.equal(seen.likedByMe, true);
      });
      assert.equal((await postAs(alice, created.id)).likedByMe, false);
      assert.equal((await postAs(null, created.id)).likedByMe, false);
      const likers = await api('GET', `/posts/${created.id}/likes`);
      assert.deepEqual(likers.body.items.map((item: any) => item.id), [bob.id]);

      const comment = await eventually(CATCH_UP_MS, async () => {
        const reply = await api('POST', `/posts/${created.id}/comments`, { token: bob.token, body: { text: 'Nice one' } });
        assert.equal(reply.status, 201, reply.text);
        return reply.body;
      });
      assert.equal(comment.author.id, bob.id);
      await eventually(CATCH_UP_MS, async () => assert.equal((await postAs(null, created.id)).commentCount, 1));
      const comments = await api('GET', `/posts/${created.id}/comments`);
      assert.deepEqual(comments.body.items.map((item: any) => item.text), ['Nice one']);

      assert.equal((await api('DELETE', `/posts/${created.id}/like`, { token: bob.token })).status, 204);
      await eventually(CATCH_UP_MS, async () => assert.equal((await postAs(bob, created.id)).likeCount, 0));
    });

    it('notifies of follows, likes and comments by others, never of one’s own, and marks them read', async () => {
      const alice = await givenPerson('alice');
      const bob = await givenPerson('bob');
      const created = await post(alice, 'Notify me');
      await follow(bob, alice);
      await eventually(CATCH_UP_MS, async () => assert.equal((await api('PUT', `/posts/${created.id}/like`, { token: bob.token })).status, 204));
      await eventually(CATCH_UP_MS, async () => assert.equal((await api('PUT', `/posts/${created.id}/like`, { token: alice.token })).status, 204));
      await api('POST', `/posts/${created.id}/comments`, { token: bob.token, body: { text: 'Hi Alice' } });
      await api('POST', `/posts/${created.id}/comments`, { token: alice.token, body: { text: 'Talking to myself' } });

      const inbox = await eventually(CATCH_UP_MS, async () => {
        const reply = await api('GET', '/notifications?unread=true', { token: alice.token });
        assert.equal(reply.status, 200, reply.text);
        assert.deepEqual(reply.body.items.map((item: any) => item.type).sort(), ['comment', 'follow', 'like']);
        return reply.body.items as any[];
      });
      for (const item of inbox) {
        assert.equal(item.actor.id, bob.id);
        assert.equal(item.read, false);
      }
      assert.deepEqual((await api('GET', '/notifications', { token: bob.token })).body.items, []);
      assert.equal((await api('POST', '/notifications/read', { token: alice.token, body: { ids: [inbox[0].id] } })).status, 204);
      assert.equal((await api('GET', '/notifications?unread=true', { token: alice.token })).body.items.length, 2);
      assert.equal((await api('POST', '/notifications/read', { token: alice.token, body: {} })).status, 204);
      assert.deepEqual((await api('GET', '/notifications?unread=true', { token: alice.token })).body.items, []);
    });

    it('streams a new notification live through the gateway', async () => {
      const alice = await givenPerson('alice');
      const bob = await givenPerson('bob');
      const controller = new AbortController();
      const response = await fetch(`${platform().url}/api/v1/notifications/stream`, { headers: { authorization: `Bearer ${alice.token}` }, signal: controller.signal });
      try {
        assert.equal(response.status, 200);
        assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
        const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
        await follow(bob, alice);
        let received = '';
        const deadline = Date.now() + 5_000;
        while (!/\ndata: .*\n\n/.test(`\n${received}`) && Date.now() < deadline) {
          const { value, done } = await reader.read();
          if (done) break;
          received += value;
        }
        const data = /(?:^|\n)data: (.*)\n/.exec(received);
        assert.ok(data, `no event in ${JSON.stringify(received)}`);
        const notification = JSON.parse(data[1]!);
        assert.equal(notification.type, 'follow');
        assert.equal(notification.actor.id, bob.id);
      } finally {
        controller.abort();
      }
      assertProblem(await api('GET', '/notifications/stream'), 401);
    });

    it('finds people by name and posts by their words, and forgets what is deleted', async () => {
      const word = `zebra${randomUUID().slice(0, 6)}`;
      const alice = await givenPerson('alice');
      const created = await post(alice, `Spotted a ${word} at the zoo today`);
      const search = (q: string, type: string) => api('GET', `/search?q=${encodeURIComponent(q)}&type=${type}`);
      await eventually(CATCH_UP_MS, async () => {
        const found = await search(word, 'posts');
        assert.equal(found.status, 200, found.text);
        assert.deepEqual(found.body.items.map((item: any) => item.id), [created.id]);
      });
      await eventually(CATCH_UP_MS, async () => {
        const found = await search(alice.username, 'users');
        assert.equal(found.body.items[0]?.id, alice.id);
      });
      assert.equal((await api('DELETE', `/posts/${created.id}`, { token: alice.token })).status, 204);
      await eventually(CATCH_UP_MS, async () => assert.deepEqual((await search(word, 'posts')).body.items, []));
      assertProblem(await api('GET', '/search'), 400);
      assertProblem(await api('GET', '/search?q=x&type=planets'), 400);
    });

    it('lets only the author edit, the author or an admin delete, and takes comments, likes and media with a deleted post', async () => {
      const alice = await givenPerson('alice');
      const bob = await givenPerson('bob');
      await follow(bob, alice);
      const picture = await upload(alice);
      const created = await post(alice, 'Soon gone', [picture.body.id]);
      assertProblem(await api('PATCH', `/posts/${created.id}`, { token: bob.token, body: { text: 'Mine now' } }), 403);
      const edited = await api('PATCH', `/posts/${created.id}`, { token: alice.token, body: { text: 'Edited' } });
      assert.equal(edited.status, 200, edited.text);
      assert.equal(edited.body.text, 'Edited');
      assertProblem(await api('DELETE', `/posts/${created.id}`, { token: bob.token }), 403);

      const comment = await eventually(CATCH_UP_MS, async () => {
        const reply = await api('POST', `/posts/${created.id}/comments`, { token: bob.token, body: { text: 'First' } });
        assert.equal(reply.status, 201, reply.text);
        return reply.body;
      });
      assertProblem(await api('PATCH', `/comments/${comment.id}`, { token: alice.token, body: { text: 'Not yours' } }), 403);
      await eventually(CATCH_UP_MS, async () => assert.ok((await feedOf(bob)).some((item) => item.id === created.id)));

      assert.equal((await api('DELETE', `/posts/${created.id}`, { token: alice.token })).status, 204);
      assertProblem(await api('GET', `/posts/${created.id}`), 404);
      assert.ok(!(await feedOf(bob)).some((item) => item.id === created.id), 'gone from the feed at once');
      await eventually(CATCH_UP_MS, async () => assertProblem(await api('GET', `/posts/${created.id}/comments`), 404));
      await eventually(CATCH_UP_MS, async () => assertProblem(await api('GET', `/media/${picture.body.id}`), 404));
      await eventually(CATCH_UP_MS, async () => assertProblem(await api('PUT', `/posts/${created.id}/like`, { token: bob.token }), 404));
    });

    it('erases a deleted account’s posts, comments, likes, follows, media and notifications, and puts every count right', async () => {
      const alice = await givenPerson('alice');
      const dave = await givenPerson('dave');
      const word = `quokka${randomUUID().slice(0, 6)}`;
      const alicePost = await post(alice, 'Dave was here');
      await follow(dave, alice);
      await follow(alice, dave);
      const davePicture = await upload(dave);
      const davePost = await post(dave, `My ${word} photo`, [davePicture.body.id]);
      await eventually(CATCH_UP_MS, async () => assert.equal((await api('PUT', `/posts/${alicePost.id}/like`, { token: dave.token })).status, 204));
      assert.equal((await api('POST', `/posts/${alicePost.id}/comments`, { token: dave.token, body: { text: 'Bye' } })).status, 201);
      await eventually(CATCH_UP_MS, async () => {
        const seen = await postAs(null, alicePost.id);
        assert.deepEqual([seen.likeCount, seen.commentCount], [1, 1]);
        assert.ok((await feedOf(alice)).some((item) => item.id === davePost.id));
        const inbox = await api('GET', '/notifications', { token: alice.token });
        assert.equal(inbox.body.items.length, 3);
        assert.equal((await api('GET', `/search?q=${word}&type=posts`)).body.items.length, 1);
      });

      assert.equal((await api('DELETE', '/auth/me', { token: dave.token, body: { password } })).status, 204);

      await eventually(CATCH_UP_MS * 2, async () => {
        const seen = await postAs(null, alicePost.id);
        assert.deepEqual([seen.likeCount, seen.commentCount], [0, 0], 'counts on the survivor’s post');
        assert.deepEqual((await api('GET', `/posts/${alicePost.id}/comments`)).body.items, []);
        assert.deepEqual((await api('GET', `/posts/${alicePost.id}/likes`)).body.items, []);
        const profile = (await api('GET', `/users/${alice.id}`)).body;
        assert.deepEqual([profile.followersCount, profile.followingCount], [0, 0], 'follow counts');
        assertProblem(await api('GET', `/users/${dave.id}`), 404);
        assertProblem(await api('GET', `/posts/${davePost.id}`), 404);
        assertProblem(await api('GET', `/users/${dave.id}/posts`), 404);
        assert.ok(!(await feedOf(alice)).some((item) => item.id === davePost.id), 'gone from feeds');
        assertProblem(await api('GET', `/media/${davePicture.body.id}`), 404);
        assert.deepEqual((await api('GET', '/notifications', { token: alice.token })).body.items, [], 'notifications by the erased user');
        assert.deepEqual((await api('GET', `/search?q=${word}&type=posts`)).body.items, []);
        assert.deepEqual((await api('GET', `/search?q=${dave.username}&type=users`)).body.items.filter((item: any) => item.id === dave.id), []);
      });
    });

    it('answers bad input with 4xx problems, never a 5xx', async () => {
      const alice = await givenPerson('alice');
      const token = alice.token;
      const unknown = randomUUID();
      const cases: [string, string, Parameters<typeof call>[3], number][] = [
        ['GET', '/posts/not-a-uuid', {}, 400],
        ['GET', `/posts/${unknown}`, {}, 404],
        ['PATCH', `/posts/${unknown}`, { token, body: { text: 'x' } }, 404],
        ['POST', '/posts', { token, body: { text: '' } }, 400],
        ['POST', '/posts', { token, body: { text: 'x'.repeat(5001) } }, 400],
        ['POST', '/posts', { token, body: { text: 'x', likeCount: 5 } }, 400],
        ['POST', '/posts', { token, body: { text: 'x', mediaIds: [unknown] } }, 400],
        ['POST', '/posts', { token, body: '{"text":' }, 400],
        ['POST', '/posts', { body: { text: 'x' } }, 401],
        ['GET', '/feed?limit=0', { token }, 400],
        ['GET', '/feed?cursor=garbage', { token }, 400],
        ['GET', `/users/${unknown}/posts`, {}, 404],
        ['POST', `/posts/${unknown}/comments`, { token, body: { text: 'x' } }, 404],
        ['POST', '/posts/nope/comments', { token, body: { text: 'x' } }, 400],
        ['PATCH', `/comments/${unknown}`, { token, body: { text: 'x' } }, 404],
        ['DELETE', '/comments/nope', { token }, 400],
        ['PUT', `/posts/${unknown}/like`, { token }, 404],
        ['PUT', '/comments/nope/like', { token }, 400],
        ['GET', `/posts/${unknown}/likes`, {}, 404],
        ['GET', '/media/nope', {}, 400],
        ['GET', `/media/${unknown}`, {}, 404],
        ['DELETE', `/media/${unknown}`, { token }, 404],
        ['POST', '/media', { token, body: { file: 'x' } }, 415],
        ['GET', '/notifications?unread=maybe', { token }, 400],
        ['POST', '/notifications/read', { token, body: { ids: ['nope'] } }, 400],
        ['GET', `/search?q=${'x'.repeat(201)}`, {}, 400],
        ['GET', `/search?q=${encodeURIComponent('&|!():*\'"\\')}`, {}, 200],
      ];
      for (const [method, route, options, status] of cases) {
        const reply = await api(method, route, options);
        assert.equal(reply.status, status, `${method} ${route}: ${reply.text}`);
        if (status >= 400) assertProblem(reply, status);
      }
    });

    it('refuses uploads that are empty, too large or not images', async () => {
      const alice = await givenPerson('alice');
      const noFile = await fetch(`${platform().url}/api/v1/media`, { method: 'POST', headers: { authorization: `Bearer ${alice.token}` }, body: new FormData() });
      assert.equal(noFile.status, 400, await noFile.text());
      const text = await upload(alice, Buffer.from('just some text, not an image'), 'image/png');
      assert.equal(text.status, 415, text.text);
      const huge = await upload(alice, Buffer.concat([PNG, Buffer.alloc(11 * 1024 * 1024)]));
      assert.equal(huge.status, 413, huge.text);
    });
  });
}
