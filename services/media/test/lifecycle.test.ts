/**
 * An upload's life after POST: reading it, deleting it (owner, admin, others), and the events
 * that take media with them (post.deleted, user.deleted), redelivered and overlapping.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { eventually, expectProblem } from '@agora/kit/testing/service-harness';
import { fileForm, png } from './support/images.ts';
import {
  deletionsAnnounced,
  fetchBytes,
  MEDIA,
  processed,
  renditionsStored,
  startMedia,
  upload,
  uploaded,
  type MediaService,
} from './support/media.ts';

describe('media: lifecycle', () => {
  let svc: MediaService;
  let image: Buffer;
  before(async () => {
    svc = await startMedia();
    image = await png(48, 32);
  });
  after(async () => {
    await svc?.close();
  });

  const remove = (id: string, token?: string) => svc.request('DELETE', `${MEDIA}/${id}`, token === undefined ? {} : { token });
  const read = (id: string) => svc.request('GET', `${MEDIA}/${id}`);
  const postDeleted = (authorId: string, mediaIds: string[]) =>
    svc.publish('post.deleted', { postId: randomUUID(), authorId, mediaIds, deletedAt: new Date().toISOString() }, 'posts');
  const userDeleted = (userId: string) => svc.publish('user.deleted', { userId, deletedAt: new Date().toISOString() }, 'identity');

  /** Gone for readers: 404 on the object and both renditions. */
  async function expectGone(media: { id: string; url: string; thumbnailUrl: string }): Promise<void> {
    expectProblem(await read(media.id), 404, 'MEDIA.NOT_FOUND');
    expectProblem(await fetchBytes(svc, media.url), 404, 'MEDIA.NOT_FOUND');
    expectProblem(await fetchBytes(svc, media.thumbnailUrl), 404, 'MEDIA.NOT_FOUND');
  }

  /** Its bytes removed from storage. */
  async function expectPurged(id: string): Promise<void> {
    await eventually(async () => {
      assert.deepEqual(await renditionsStored(svc, id), { image: false, thumbnail: false }, `the bytes of ${id} are still stored`);
    });
  }

  describe('GET /media/:id', () => {
    it('answers the object POST answered, to anyone', async () => {
      const owner = await svc.given.user();
      const media = await uploaded(svc, owner.accessToken, image);
      assert.deepEqual(await renditionsStored(svc, media.id), { image: true, thumbnail: true });
      const response = await read(media.id);
      assert.equal(response.statusCode, 200, response.body);
      assert.deepEqual(response.json(), media);
      const other = await svc.given.user();
      assert.deepEqual((await svc.request('GET', `${MEDIA}/${media.id}`, { token: other.accessToken })).json(), media);
    });

    it('answers 404 MEDIA.NOT_FOUND for an unknown id, 400 for a malformed one, 401 for a bad token', async () => {
      expectProblem(await read(randomUUID()), 404, 'MEDIA.NOT_FOUND');
      expectProblem(await read('not-a-uuid'), 400, 'VALIDATION.FAILED');
      expectProblem(await svc.request('GET', `${MEDIA}/${randomUUID()}`, { token: 'not.a.token' }), 401, 'AUTH.INVALID_TOKEN');
    });
  });

  describe('DELETE /media/:id', () => {
    it('lets the owner delete: 204, media.deleted, gone for readers and from storage', async () => {
      const owner = await svc.given.user();
      const media = await uploaded(svc, owner.accessToken, image);
      const response = await remove(media.id, owner.accessToken);
      assert.equal(response.statusCode, 204, response.body);
      assert.equal(response.body, '');
      const event = await svc.events.waitFor('media.deleted', (data) => data.mediaId === media.id);
      assert.deepEqual(event.data, { mediaId: media.id, ownerId: owner.id });
      await expectGone(media);
      // The bytes go before the 204, not eventually.
      assert.deepEqual(await renditionsStored(svc, media.id), { image: false, thumbnail: false });
      expectProblem(await remove(media.id, owner.accessToken), 404, 'MEDIA.NOT_FOUND');
      assert.equal(await deletionsAnnounced(svc, media.id), 1);
    });

    it('refuses anyone else with 403 MEDIA.FORBIDDEN and keeps the media', async () => {
      const owner = await svc.given.user();
      const other = await svc.given.user();
      const seller = await svc.given.user({ roles: ['user', 'seller'] });
      const media = await uploaded(svc, owner.accessToken, image);
      expectProblem(await remove(media.id, other.accessToken), 403, 'MEDIA.FORBIDDEN');
      expectProblem(await remove(media.id, seller.accessToken), 403, 'MEDIA.FORBIDDEN');
      assert.equal((await read(media.id)).statusCode, 200);
      assert.equal((await fetchBytes(svc, media.url)).statusCode, 200);
      assert.equal(await deletionsAnnounced(svc, media.id), 0);
    });

    it('lets an admin delete anyone’s media, announced with the owner’s id', async () => {
      const owner = await svc.given.user();
      const admin = await svc.given.user({ roles: ['user', 'admin'] });
      const media = await uploaded(svc, owner.accessToken, image);
      assert.equal((await remove(media.id, admin.accessToken)).statusCode, 204);
      const event = await svc.events.waitFor('media.deleted', (data) => data.mediaId === media.id);
      assert.deepEqual(event.data, { mediaId: media.id, ownerId: owner.id });
      await expectGone(media);
    });

    it('answers 401 without a token, 404 for an unknown id and 400 for a malformed one', async () => {
      const owner = await svc.given.user();
      const media = await uploaded(svc, owner.accessToken, image);
      expectProblem(await remove(media.id), 401, 'AUTH.REQUIRED');
      expectProblem(await remove(randomUUID(), owner.accessToken), 404, 'MEDIA.NOT_FOUND');
      expectProblem(await remove('12345', owner.accessToken), 400, 'VALIDATION.FAILED');
      assert.equal((await read(media.id)).statusCode, 200);
    });
  });

  describe('post.deleted', () => {
    it('deletes the listed media of the post’s author, announcing each, and leaves anyone else’s', async () => {
      const author = await svc.given.user();
      const stranger = await svc.given.user();
      const first = await uploaded(svc, author.accessToken, image);
      const second = await uploaded(svc, author.accessToken, image);
      const kept = await uploaded(svc, author.accessToken, image);
      const theirs = await uploaded(svc, stranger.accessToken, image);
      const event = await postDeleted(author.id, [first.id, second.id, theirs.id, randomUUID()]);

      for (const media of [first, second]) {
        const deleted = await svc.events.waitFor('media.deleted', (data) => data.mediaId === media.id);
        assert.deepEqual(deleted.data, { mediaId: media.id, ownerId: author.id });
        assert.equal(deleted.correlationId, event.correlationId);
        assert.equal(deleted.causationId, event.id);
        await expectGone(media);
        await expectPurged(media.id);
      }
      await eventually(async () => assert.ok(await processed(svc, event.id)));
      for (const media of [kept, theirs]) {
        assert.equal((await read(media.id)).statusCode, 200);
        assert.equal((await fetchBytes(svc, media.url)).statusCode, 200);
        assert.equal(await deletionsAnnounced(svc, media.id), 0);
      }
    });

    it('takes a repeated or redelivered post.deleted, and one for media already deleted, without announcing twice', async () => {
      const author = await svc.given.user();
      const viaPost = await uploaded(svc, author.accessToken, image);
      const byOwner = await uploaded(svc, author.accessToken, image);
      assert.equal((await remove(byOwner.id, author.accessToken)).statusCode, 204);

      const event = await postDeleted(author.id, [viaPost.id, byOwner.id]);
      await svc.events.waitFor('media.deleted', (data) => data.mediaId === viaPost.id);
      await svc.redeliver(event);
      // The same news under a new event id runs the handler again; the deletion must not repeat.
      const again = await postDeleted(author.id, [viaPost.id, byOwner.id]);
      await eventually(async () => assert.ok(await processed(svc, again.id)));
      assert.equal(await deletionsAnnounced(svc, viaPost.id), 1);
      assert.equal(await deletionsAnnounced(svc, byOwner.id), 1);
    });

    it('announces an upload deleted once when its owner and post.deleted delete it at the same moment', async () => {
      const author = await svc.given.user();
      const media = await uploaded(svc, author.accessToken, image);
      const [response, event] = await Promise.all([remove(media.id, author.accessToken), postDeleted(author.id, [media.id])]);
      assert.ok([204, 404].includes(response.statusCode), response.body);
      await eventually(async () => assert.ok(await processed(svc, event.id)));
      assert.equal(await deletionsAnnounced(svc, media.id), 1);
      await expectGone(media);
      await expectPurged(media.id);
    });
  });

  describe('user.deleted', () => {
    it('deletes every upload of the erased user, announcing each, and nobody else’s', async () => {
      const user = await svc.given.user();
      const neighbour = await svc.given.user();
      const mine = [await uploaded(svc, user.accessToken, image), await uploaded(svc, user.accessToken, image), await uploaded(svc, user.accessToken, image)];
      const theirs = await uploaded(svc, neighbour.accessToken, image);
      const event = await userDeleted(user.id);

      for (const media of mine) {
        const deleted = await svc.events.waitFor('media.deleted', (data) => data.mediaId === media.id);
        assert.deepEqual(deleted.data, { mediaId: media.id, ownerId: user.id });
        assert.equal(deleted.causationId, event.id);
        await expectGone(media);
        await expectPurged(media.id);
      }
      assert.equal((await read(theirs.id)).statusCode, 200);
      assert.equal(await deletionsAnnounced(svc, theirs.id), 0);

      await svc.redeliver(event);
      const again = await userDeleted(user.id);
      await eventually(async () => assert.ok(await processed(svc, again.id)));
      for (const media of mine) assert.equal(await deletionsAnnounced(svc, media.id), 1);
      expectProblem(await upload(svc, user.accessToken, fileForm(image)), 403, 'MEDIA.FORBIDDEN');
    });

    it('takes user.deleted for someone who never uploaded anything', async () => {
      const event = await userDeleted(randomUUID());
      await eventually(async () => assert.ok(await processed(svc, event.id)));
    });

    it('leaves media a post.deleted of the erased user no longer finds alone', async () => {
      const user = await svc.given.user();
      const media = await uploaded(svc, user.accessToken, image);
      const erased = await userDeleted(user.id);
      const post = await postDeleted(user.id, [media.id]);
      await eventually(async () => assert.ok((await processed(svc, erased.id)) && (await processed(svc, post.id))));
      assert.equal(await deletionsAnnounced(svc, media.id), 1);
      await expectPurged(media.id);
    });
  });

  describe('bad input', () => {
    it('never answers 5xx', async () => {
      const user = await svc.given.user();
      const media = await uploaded(svc, user.accessToken, image);
      const attempts: [string, string, unknown, Record<string, string>?][] = [
        ['GET', `${MEDIA}/%00`, undefined],
        ['GET', `${MEDIA}/${'a'.repeat(5000)}`, undefined],
        ['GET', `${MEDIA}/${media.id}/../../etc/passwd`, undefined],
        ['GET', `${MEDIA}/..%2F..%2Fetc%2Fpasswd/file`, undefined],
        ['GET', `${MEDIA}/${media.id}/original`, undefined],
        ['DELETE', `${MEDIA}/${media.id}x`, undefined],
        ['DELETE', `${MEDIA}/${randomUUID()}`, { reason: 'spam' }],
        ['DELETE', `${MEDIA}/${randomUUID()}`, '{not json', { 'content-type': 'application/json' }],
        ['POST', MEDIA, '{not json', { 'content-type': 'application/json' }],
        ['POST', MEDIA, [], undefined],
        ['POST', MEDIA, 'x', { 'content-type': 'multipart/form-data; boundary=' }],
        ['POST', MEDIA, 'x', { 'content-type': 'multipart/form-data; boundary="unterminated' }],
        ['POST', MEDIA, 'x', { 'content-type': '' }],
        ['POST', `${MEDIA}/${media.id}`, undefined],
        ['PUT', `${MEDIA}/${media.id}`, { file: 'x' }],
        ['PATCH', `${MEDIA}/${media.id}`, { width: 1 }],
      ];
      for (const [method, url, body, headers] of attempts) {
        const response = await svc.request(method as 'GET', url, { token: user.accessToken, ...(body === undefined ? {} : { body }), ...(headers ? { headers } : {}) });
        assert.ok(response.statusCode >= 400 && response.statusCode < 500, `${method} ${url}: ${response.statusCode} ${response.body}`);
      }
      assert.equal((await read(media.id)).statusCode, 200);
      assert.deepEqual(
        svc.answered.filter((entry) => entry.status >= 500),
        [],
      );
    });
  });
});
