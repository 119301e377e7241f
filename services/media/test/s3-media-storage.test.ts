/**
 * The S3 MediaStorage: the shared contract against an S3-compatible server run in-process
 * (s3rver), with and without a key prefix, and what only S3 can show. With S3_BUCKET (and
 * S3_ENDPOINT, credentials…) in the environment, the contract also runs against that server.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { HeadObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { loadConfig } from '@agora/kit/config';
import { MediaConfig } from '../src/config.ts';
import { openMediaStorage, storageChoice } from '../src/storage/open-media-storage.ts';
import { createS3Client, createS3MediaStorage, type S3StorageOptions } from '../src/storage/s3-media-storage.ts';
import { startLocalS3 } from './support/s3-server.ts';
import { mediaStorageContract } from './storage-contract.ts';

const s3 = await startLocalS3();
after(() => s3.close());

const configWith = (env: Record<string, string | undefined>) => loadConfig(MediaConfig, env);

function s3Options(env: Record<string, string | undefined>): S3StorageOptions {
  const choice = storageChoice(configWith(env));
  assert.equal(choice.kind, 's3');
  return choice.options;
}

const opened = (env: Record<string, string | undefined>) => async () => {
  const storage = await openMediaStorage(configWith(env));
  return { storage, close: () => storage.close() };
};

mediaStorageContract('S3 (s3rver)', opened(s3.env));
mediaStorageContract('S3 (s3rver) under S3_PREFIX', opened({ ...s3.env, S3_PREFIX: 'tenants/one/' }));

const fromEnvironment = Object.fromEntries(Object.entries(process.env).filter(([key]) => key.startsWith('S3_')));
if (fromEnvironment['S3_BUCKET']) mediaStorageContract(`S3 at ${fromEnvironment['S3_ENDPOINT'] ?? 'AWS'} (from the environment)`, opened(fromEnvironment));

describe('S3 media storage', () => {
  it('keeps each object under S3_PREFIX, with its content type', async () => {
    const prefix = `tenants/${randomBytes(4).toString('hex')}`;
    const options = s3Options({ ...s3.env, S3_PREFIX: prefix });
    const storage = createS3MediaStorage(options);
    const client = createS3Client(options);
    try {
      await storage.put('images/one', randomBytes(100), 'image/webp');
      const listed = await client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: `${prefix}/` }));
      assert.deepEqual(listed.Contents?.map((object) => object.Key), [`${prefix}/images/one`]);
      const head = await client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: `${prefix}/images/one` }));
      assert.equal(head.ContentType, 'image/webp');
      assert.equal(head.ContentLength, 100);
    } finally {
      client.destroy();
      await storage.close();
    }
  });

  it('refuses to start on a bucket that is not there, or with unknown credentials, naming S3_BUCKET', async () => {
    await assert.rejects(openMediaStorage(configWith({ ...s3.env, S3_BUCKET: 'no-such-bucket' })), /^Error: S3_BUCKET: bucket "no-such-bucket" at http:\/\/127\.0\.0\.1:\d+ is not usable/);
    await assert.rejects(openMediaStorage(configWith({ ...s3.env, S3_ACCESS_KEY_ID: 'NOT-AN-ACCOUNT' })), /S3_BUCKET: bucket "agora-media-test" .* is not usable/);
  });

  it('treats a missing bucket as an error, not as a missing key', async () => {
    const storage = createS3MediaStorage(s3Options({ ...s3.env, S3_BUCKET: 'no-such-bucket' }));
    try {
      await assert.rejects(storage.get('images/one'), { name: 'NoSuchBucket' });
      await assert.rejects(storage.ping());
    } finally {
      await storage.close();
    }
  });

  it('answers ping while the server does, and rejects once it is gone', async () => {
    const other = await startLocalS3('gone-soon');
    const storage = await openMediaStorage(configWith(other.env));
    try {
      await storage.ping();
      await other.close();
      await assert.rejects(storage.ping());
    } finally {
      await storage.close();
    }
  });
});
