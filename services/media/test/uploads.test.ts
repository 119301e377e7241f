/** POST /api/v1/media and the bytes it serves back: formats, processing, limits and refusals. */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { eventually, expectProblem } from '@agora/kit/testing/service-harness';
import { MAX_FILE_BYTES } from '../src/routes/upload.routes.ts';
import {
  animatedGif,
  animatedWebpWithExif,
  carriesMetadata,
  fileForm,
  jpeg,
  jpegWithOrientationAndGps,
  multipart,
  PDF,
  png,
  pngClaiming,
  staticGif,
  webp,
} from './support/images.ts';
import { fetchBytes, MEDIA, processed, PUBLIC_URL, startMedia, storedObjects, upload, uploaded, type MediaService } from './support/media.ts';

describe('media: uploads', () => {
  let svc: MediaService;
  let token: string;
  before(async () => {
    svc = await startMedia();
    token = (await svc.given.user()).accessToken;
  });
  after(async () => {
    await svc?.close();
  });

  /** Fetches both renditions and checks the headers every file answer carries. */
  async function served(media: { url: string; thumbnailUrl: string; contentType: string; size: number }) {
    const image = await fetchBytes(svc, media.url);
    const thumbnail = await fetchBytes(svc, media.thumbnailUrl);
    for (const [response, type] of [
      [image, media.contentType],
      [thumbnail, 'image/webp'],
    ] as const) {
      assert.equal(response.statusCode, 200);
      assert.equal(response.headers['content-type'], type);
      assert.equal(Number(response.headers['content-length']), response.rawPayload.length);
      assert.equal(response.headers['cache-control'], 'public, max-age=31536000, immutable');
      assert.equal(response.headers['x-content-type-options'], 'nosniff');
      assert.match(String(response.headers['etag']), /^"[\w-]{43}"$/);
    }
    assert.equal(image.rawPayload.length, media.size);
    return {
      image: image.rawPayload,
      thumbnail: thumbnail.rawPayload,
      imageMeta: await sharp(image.rawPayload, { animated: true }).metadata(),
      thumbnailMeta: await sharp(thumbnail.rawPayload, { animated: true }).metadata(),
    };
  }

  describe('POST /media', () => {
    it('stores a JPEG turned upright from its EXIF orientation, without EXIF or GPS, plus a WebP thumbnail, and announces it', async () => {
      const owner = await svc.given.user();
      const original = await jpegWithOrientationAndGps(600, 400);
      const before = await sharp(original).metadata();
      assert.equal(before.orientation, 6);
      assert.ok(carriesMetadata(original) && before.exif?.includes(Buffer.from([0x25, 0x88])), 'the fixture should carry EXIF with a GPS block');

      const response = await upload(svc, owner.accessToken, fileForm(original, 'holiday.jpg', 'image/jpeg'));
      assert.equal(response.statusCode, 201, response.body);
      const media = response.json();
      assert.deepEqual(Object.keys(media).sort(), ['contentType', 'createdAt', 'height', 'id', 'ownerId', 'size', 'thumbnailUrl', 'url', 'width']);
      assert.equal(media.ownerId, owner.id);
      assert.equal(media.contentType, 'image/jpeg');
      assert.equal(media.url, `${PUBLIC_URL}${MEDIA}/${media.id}/file`);
      assert.equal(media.thumbnailUrl, `${PUBLIC_URL}${MEDIA}/${media.id}/thumbnail`);
      assert.deepEqual([media.width, media.height], [400, 600]);

      const { image, imageMeta, thumbnailMeta } = await served(media);
      assert.equal(imageMeta.format, 'jpeg');
      assert.deepEqual([imageMeta.width, imageMeta.height], [400, 600]);
      assert.equal(imageMeta.orientation, undefined);
      assert.equal(imageMeta.exif, undefined);
      assert.equal(imageMeta.xmp, undefined);
      assert.equal(carriesMetadata(image), false);
      assert.equal(thumbnailMeta.format, 'webp');
      assert.deepEqual([thumbnailMeta.width, thumbnailMeta.height], [213, 320]);
      assert.equal(thumbnailMeta.exif, undefined);

      const event = await svc.events.waitFor('media.uploaded', (data) => data.mediaId === media.id);
      assert.deepEqual(event.data, { mediaId: media.id, ownerId: owner.id, url: media.url, thumbnailUrl: media.thumbnailUrl, contentType: 'image/jpeg' });
      assert.equal(event.producer, 'media');
    });

    it('keeps a PNG with transparency as PNG at its own size, thumbnail included', async () => {
      const media = await uploaded(svc, token, await png(300, 200, { alpha: true }));
      assert.equal(media.contentType, 'image/png');
      assert.deepEqual([media.width, media.height], [300, 200]);
      const { imageMeta, thumbnailMeta } = await served(media);
      assert.deepEqual([imageMeta.format, imageMeta.width, imageMeta.height, imageMeta.hasAlpha], ['png', 300, 200, true]);
      assert.deepEqual([thumbnailMeta.width, thumbnailMeta.height, thumbnailMeta.hasAlpha], [300, 200, true], 'a small image is not enlarged');
    });

    it('keeps a WebP as WebP', async () => {
      const media = await uploaded(svc, token, await webp(500, 500));
      assert.equal(media.contentType, 'image/webp');
      const { imageMeta, thumbnailMeta } = await served(media);
      assert.deepEqual([imageMeta.format, imageMeta.width, imageMeta.height], ['webp', 500, 500]);
      assert.deepEqual([thumbnailMeta.width, thumbnailMeta.height], [320, 320]);
    });

    it('bounds a large image to 2048 px on its longest side, keeping its proportions', async () => {
      const media = await uploaded(svc, token, await jpeg(3000, 1500));
      assert.deepEqual([media.width, media.height], [2048, 1024]);
      const { imageMeta, thumbnailMeta } = await served(media);
      assert.deepEqual([imageMeta.width, imageMeta.height], [2048, 1024]);
      assert.deepEqual([thumbnailMeta.width, thumbnailMeta.height], [320, 160]);
    });

    it('serves an animated GIF as uploaded, all frames, with a thumbnail of its first frame', async () => {
      const original = await animatedGif(120, 80, 3);
      const media = await uploaded(svc, token, original);
      assert.equal(media.contentType, 'image/gif');
      assert.deepEqual([media.width, media.height], [120, 80]);
      const { image, thumbnail, imageMeta, thumbnailMeta } = await served(media);
      assert.ok(image.equals(original), 'the animated GIF is kept byte for byte');
      assert.equal(imageMeta.pages, 3);
      assert.equal(thumbnailMeta.pages ?? 1, 1);
      assert.deepEqual([thumbnailMeta.width, thumbnailMeta.height], [120, 80]);
      const [r, g, b] = await sharp(thumbnail).raw().toBuffer();
      // Frame 0 is rgb(0, 40, 255); frame 1 rgb(80, 40, 175). WebP is lossy: allow a little.
      assert.ok(Math.abs(r! - 0) < 12 && Math.abs(g! - 40) < 12 && Math.abs(b! - 255) < 12, `thumbnail pixel is rgb(${r}, ${g}, ${b})`);
    });

    it('shrinks an animated GIF wider than 2048 px frame by frame, still animated', async () => {
      const media = await uploaded(svc, token, await animatedGif(2100, 30, 2));
      assert.equal(media.width, 2048);
      const { imageMeta } = await served(media);
      assert.deepEqual([imageMeta.format, imageMeta.pages, imageMeta.width], ['gif', 2, 2048]);
      assert.equal(imageMeta.pageHeight, media.height);
    });

    it('re-encodes an animated WebP, keeping its frames and dropping its EXIF', async () => {
      const original = await animatedWebpWithExif(90, 60, 3);
      assert.ok(carriesMetadata(original) && (await sharp(original).metadata()).pages === 3, 'the fixture should be animated and carry EXIF');
      const media = await uploaded(svc, token, original);
      assert.deepEqual([media.contentType, media.width, media.height], ['image/webp', 90, 60]);
      const { image, imageMeta, thumbnailMeta } = await served(media);
      assert.deepEqual([imageMeta.format, imageMeta.pages, imageMeta.exif], ['webp', 3, undefined]);
      assert.equal(carriesMetadata(image), false);
      assert.deepEqual([thumbnailMeta.pages ?? 1, thumbnailMeta.width, thumbnailMeta.height], [1, 90, 60]);
    });

    it('accepts a still GIF', async () => {
      const media = await uploaded(svc, token, await staticGif(64, 48));
      assert.deepEqual([media.contentType, media.width, media.height], ['image/gif', 64, 48]);
      assert.equal((await served(media)).imageMeta.format, 'gif');
    });

    it('judges the type from the bytes, not the file name or the declared type', async () => {
      const response = await upload(svc, token, fileForm(await png(40, 40), 'photo.jpg', 'image/jpeg'));
      assert.equal(response.statusCode, 201, response.body);
      assert.equal(response.json().contentType, 'image/png');
    });

    it('answers at /api/v1/media/ too', async () => {
      const response = await svc.request('POST', `${MEDIA}/`, { token, ...fileForm(await png(20, 20)) });
      assert.equal(response.statusCode, 201, response.body);
    });

    it('refuses what is not JPEG, PNG, WebP or GIF with 415 MEDIA.UNSUPPORTED_TYPE, whatever its name says', async () => {
      const bmp = Buffer.concat([Buffer.from('BM', 'latin1'), Buffer.alloc(60)]);
      const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>';
      for (const [data, filename, type] of [
        [Buffer.from('just some text, honestly\n'), 'cat.jpg', 'image/jpeg'],
        [PDF, 'scan.png', 'image/png'],
        [Buffer.from(svg), 'logo.svg', 'image/svg+xml'],
        [bmp, 'old.gif', 'image/gif'],
        [Buffer.from([0xff, 0xd8]), 'short.jpg', 'image/jpeg'],
      ] as const) {
        expectProblem(await upload(svc, token, fileForm(data, filename, type)), 415, 'MEDIA.UNSUPPORTED_TYPE');
      }
    });

    it('refuses bytes that start like an image but do not decode with 400 MEDIA.INVALID_IMAGE', async () => {
      const realPng = await png(200, 200);
      const realGif = await animatedGif(50, 50, 2);
      for (const data of [
        Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('not really a jpeg '.repeat(50))]),
        realPng.subarray(0, Math.floor(realPng.length / 2)),
        Buffer.concat([realGif.subarray(0, 20), Buffer.alloc(200, 0x41)]),
        Buffer.concat([Buffer.from('RIFF\0\0\0\0WEBPVP8 ', 'latin1'), Buffer.alloc(64, 7)]),
      ]) {
        expectProblem(await upload(svc, token, fileForm(data, 'x.png', 'image/png')), 400, 'MEDIA.INVALID_IMAGE');
      }
    });

    it('refuses an image claiming more pixels than allowed (a decompression bomb) with 413 before decoding it', async () => {
      const bomb = pngClaiming(20_000, 20_000);
      assert.ok(bomb.length < 200_000, 'the bomb is small on the wire');
      const response = await upload(svc, token, fileForm(bomb));
      expectProblem(response, 413, 'MEDIA.TOO_LARGE');
      assert.match(response.json().detail, /pixels/);
    });

    it('refuses a file over 10 MiB with 413 MEDIA.TOO_LARGE, and takes one of exactly 10 MiB to the decoder', async () => {
      const fill = (size: number) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(size - 3)]);
      expectProblem(await upload(svc, token, fileForm(fill(MAX_FILE_BYTES + 1))), 413, 'MEDIA.TOO_LARGE');
      expectProblem(await upload(svc, token, fileForm(fill(MAX_FILE_BYTES))), 400, 'MEDIA.INVALID_IMAGE');
    });

    it('refuses an 11 MiB body with 413 before reading it, and the same without a declared length', async () => {
      const form = fileForm(Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47]), Buffer.alloc(11 * 1024 * 1024)]));
      const declared = await upload(svc, token, form);
      expectProblem(declared, 413, 'MEDIA.TOO_LARGE');
      assert.equal(declared.headers['connection'], 'close');
      const chunked = await svc.app.inject({
        method: 'POST',
        url: MEDIA,
        headers: { ...form.headers, authorization: `Bearer ${token}` },
        payload: Readable.from([form.body.subarray(0, 4 * 1024 * 1024), form.body.subarray(4 * 1024 * 1024)]),
      });
      expectProblem(chunked, 413, 'MEDIA.TOO_LARGE');
      assert.notEqual(chunked.headers['connection'], 'close', 'refused while reading the file, not from a declared length');
    });

    it('answers 400 MEDIA.NO_FILE for a form without a file part named "file", or with an empty one', async () => {
      const image = await png(10, 10);
      for (const form of [
        multipart([]),
        multipart([{ name: 'image', filename: 'a.png', contentType: 'image/png', data: image }]),
        multipart([{ name: 'file', data: 'a plain field, not a file' }]),
        multipart([{ name: 'caption', data: 'hello' }]),
        fileForm(Buffer.alloc(0), 'empty.png', 'image/png'),
      ]) {
        expectProblem(await upload(svc, token, form), 400, 'MEDIA.NO_FILE');
      }
    });

    it('refuses parts besides the one file with 400 VALIDATION.FAILED', async () => {
      const image = await png(10, 10);
      const extraField = await upload(svc, token, multipart([{ name: 'file', filename: 'a.png', data: image }, { name: 'ownerId', data: randomUUID() }]));
      expectProblem(extraField, 400, 'VALIDATION.FAILED');
      assert.deepEqual(extraField.json().errors, [{ path: 'body/ownerId', message: 'is not a known part' }]);
      const twoFiles = await upload(svc, token, multipart([{ name: 'file', filename: 'a.png', data: image }, { name: 'file', filename: 'b.png', data: image }]));
      expectProblem(twoFiles, 400, 'VALIDATION.FAILED');
      const manyParts = multipart(Array.from({ length: 12 }, (_, index) => ({ name: `f${index}`, data: 'x' })));
      expectProblem(await upload(svc, token, manyParts), 400, 'VALIDATION.FAILED');
    });

    it('refuses a body that is not multipart with 415 MEDIA.NOT_MULTIPART', async () => {
      const image = await png(10, 10);
      expectProblem(await svc.request('POST', MEDIA, { token, body: { file: image.toString('base64') } }), 415, 'MEDIA.NOT_MULTIPART');
      expectProblem(await svc.request('POST', MEDIA, { token, body: image, headers: { 'content-type': 'image/png' } }), 415, 'MEDIA.NOT_MULTIPART');
      expectProblem(await svc.request('POST', MEDIA, { token, body: 'file=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415, 'MEDIA.NOT_MULTIPART');
      expectProblem(await svc.request('POST', MEDIA, { token, body: image, headers: { 'content-type': 'multipart/mixed; boundary=x' } }), 415, 'MEDIA.NOT_MULTIPART');
      expectProblem(await svc.request('POST', MEDIA, { token }), 415, 'MEDIA.NOT_MULTIPART');
    });

    it('answers 400 for a multipart body it cannot read', async () => {
      const form = fileForm(await png(50, 50));
      expectProblem(await svc.request('POST', MEDIA, { token, body: form.body, headers: { 'content-type': 'multipart/form-data' } }), 400, 'HTTP.MALFORMED_BODY');
      expectProblem(await svc.request('POST', MEDIA, { token, body: form.body.subarray(0, 150), headers: form.headers }), 400, 'HTTP.MALFORMED_BODY');
      expectProblem(await svc.request('POST', MEDIA, { token, body: 'garbage without any boundary', headers: form.headers }), 400, 'MEDIA.NO_FILE');
    });

    it('needs a valid token: 401 without one or with a bad one, before reading the body', async () => {
      const form = fileForm(await png(10, 10));
      expectProblem(await upload(svc, undefined, form), 401, 'AUTH.REQUIRED');
      expectProblem(await upload(svc, 'not.a.token', form), 401, 'AUTH.INVALID_TOKEN');
      expectProblem(await svc.request('POST', MEDIA, { body: Buffer.alloc(11 * 1024 * 1024), headers: form.headers }), 401, 'AUTH.REQUIRED');
    });

    it('keeps nothing of an upload that finishes after its owner was erased (403 MEDIA.FORBIDDEN)', async () => {
      const owner = await svc.given.user();
      const erased = await svc.publish('user.deleted', { userId: owner.id, deletedAt: new Date().toISOString() }, 'identity');
      await eventually(async () => assert.ok(await processed(svc, erased.id)));
      const objectsBefore = (await storedObjects(svc)).length;
      const uploadsBefore = svc.events.count('media.uploaded');
      // The session was revoked at identity; a token signed before that still verifies here.
      expectProblem(await upload(svc, owner.accessToken, fileForm(await png(30, 30))), 403, 'MEDIA.FORBIDDEN');
      assert.equal((await storedObjects(svc)).length, objectsBefore, 'the stored bytes were removed again');
      const marker = await uploaded(svc, token, await png(5, 5));
      await svc.events.waitFor('media.uploaded', (data) => data.mediaId === marker.id);
      assert.equal(svc.events.count('media.uploaded'), uploadsBefore + 1);
      assert.equal(svc.events.count('media.uploaded', (data) => data.ownerId === owner.id), 0);
    });
  });

  describe('GET /media/:id/file and /thumbnail', () => {
    it('answers 304 to a matching If-None-Match, and the bytes otherwise', async () => {
      const media = await uploaded(svc, token, await png(64, 64));
      const first = await fetchBytes(svc, media.url);
      const etag = String(first.headers['etag']);
      const path = new URL(media.url).pathname;
      const again = await svc.request('GET', path, { headers: { 'if-none-match': etag } });
      assert.equal(again.statusCode, 304);
      assert.equal(again.rawPayload.length, 0);
      assert.equal(again.headers['etag'], etag);
      assert.equal((await svc.request('GET', path, { headers: { 'if-none-match': `"other", W/${etag}` } })).statusCode, 304);
      assert.equal((await svc.request('GET', path, { headers: { 'if-none-match': '"something-else"' } })).statusCode, 200);
      const thumbnailEtag = (await fetchBytes(svc, media.thumbnailUrl)).headers['etag'];
      assert.notEqual(thumbnailEtag, etag);
    });

    it('answers HEAD with the headers and no body', async () => {
      const media = await uploaded(svc, token, await png(64, 64));
      const head = await svc.app.inject({ method: 'HEAD', url: new URL(media.url).pathname });
      assert.equal(head.statusCode, 200);
      assert.equal(head.headers['content-type'], 'image/png');
      assert.equal(Number(head.headers['content-length']), media.size);
      assert.equal(head.rawPayload.length, 0);
    });

    it('answers 404 MEDIA.NOT_FOUND for an unknown id and 400 for a malformed one', async () => {
      for (const rendition of ['file', 'thumbnail']) {
        expectProblem(await svc.request('GET', `${MEDIA}/${randomUUID()}/${rendition}`), 404, 'MEDIA.NOT_FOUND');
        expectProblem(await svc.request('GET', `${MEDIA}/not-a-uuid/${rendition}`), 400, 'VALIDATION.FAILED');
      }
    });
  });

  describe('bad input', () => {
    it('never answered 5xx in this file', () => {
      assert.ok(svc.answered.length > 40);
      assert.deepEqual(
        svc.answered.filter((entry) => entry.status >= 500),
        [],
      );
    });
  });
});
