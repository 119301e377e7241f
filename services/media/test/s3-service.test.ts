/**
 * The service end to end on S3: its upload/serve and lifecycle suites run again with S3_BUCKET
 * pointing at s3rver, started in-process, so uploads, the file routes, deletion and the purger
 * go through the S3 adapter instead of local files.
 */
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { png } from './support/images.ts';
import { startMedia, storedObjects, uploaded } from './support/media.ts';
import { startLocalS3 } from './support/s3-server.ts';

const s3 = await startLocalS3();
after(() => s3.close());
// support/media.ts hands the S3_* settings of the environment to every service it starts.
Object.assign(process.env, s3.env);

describe('media on S3', () => {
  it('keeps the bytes in the bucket, none on local disk', async () => {
    const svc = await startMedia();
    try {
      assert.equal(svc.storage.kind, 's3');
      const media = await uploaded(svc, (await svc.given.user()).accessToken, await png(40, 30));
      const objects = await storedObjects(svc);
      assert.deepEqual(objects.map((key) => key.replace(/^test-\w+\//, '')).sort(), [`images/${media.id}`, `thumbnails/${media.id}`]);
      const local = await readdir(path.join(svc.config.AGORA_DATA_DIR, 'media')).catch(() => []);
      assert.deepEqual(local, []);
    } finally {
      await svc.close();
    }
  });

  it('is unready while its bucket can’t be reached', async () => {
    // A server of this test's own, so stopping it leaves the other suites' bucket alone.
    const own = await startLocalS3('agora-media-readiness');
    const shared = { ...process.env };
    Object.assign(process.env, own.env);
    const svc = await startMedia();
    Object.assign(process.env, shared);
    try {
      const ready = await svc.request('GET', '/health/ready');
      assert.equal(ready.statusCode, 200, ready.body);
      assert.equal(ready.json().checks.storage, 'ok');
      await own.close();
      const unready = await svc.request('GET', '/health/ready');
      assert.equal(unready.statusCode, 503, unready.body);
      assert.notEqual(unready.json().checks.storage, 'ok');
      assert.equal(unready.json().checks.database, 'ok', 'only the storage is down');
    } finally {
      await svc.close();
    }
  });
});

await import('./uploads.test.ts');
await import('./lifecycle.test.ts');
