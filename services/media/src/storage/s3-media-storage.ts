/**
 * MediaStorage on S3-compatible object storage (the distributed mode): one object per key in one
 * bucket, under an optional prefix, through the AWS SDK v3 (@aws-sdk/client-s3). Amazon S3 and
 * the usual self-hosted servers (MinIO, Ceph RGW, SeaweedFS, s3rver) speak the same API; only the
 * endpoint and path-style addressing differ.
 *
 * A PUT is atomic in S3 (an object is visible whole or not at all), which is what the contract
 * asks. Reads stream the response body straight through: a file route never holds a whole
 * object in memory.
 */
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { DeleteObjectCommand, GetObjectCommand, HeadBucketCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { assertStorageKey, type MediaStorage, type StoredObject } from './media-storage.ts';

export interface S3StorageOptions {
  bucket: string;
  region: string;
  /** Another S3-compatible server; without it, AWS's own endpoint for the region. */
  endpoint?: string | undefined;
  /** `host/bucket/key` instead of `bucket.host/key`: what most self-hosted servers expect. */
  forcePathStyle: boolean;
  /** Static keys; without them the SDK's default chain (AWS_* variables, profiles, web identity, instance roles). */
  credentials?: { accessKeyId: string; secretAccessKey: string } | undefined;
  /** Prepended to every key, `/`-separated, so several deployments can share a bucket. */
  prefix?: string | undefined;
}

/** Connection attempts fail fast; a transfer fails only when the socket stalls, not when it is merely long. */
const CONNECTION_TIMEOUT_MS = 5_000;
const SOCKET_IDLE_TIMEOUT_MS = 30_000;

export function createS3Client(options: S3StorageOptions): S3Client {
  return new S3Client({
    region: options.region,
    forcePathStyle: options.forcePathStyle,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    requestHandler: { connectionTimeout: CONNECTION_TIMEOUT_MS, socketTimeout: SOCKET_IDLE_TIMEOUT_MS },
  });
}

/** The object key of a storage key: the prefix, then the key. */
export function objectKeyOf(options: Pick<S3StorageOptions, 'prefix'>, key: string): string {
  const prefix = options.prefix?.replace(/\/+$/, '');
  return prefix ? `${prefix}/${key}` : key;
}

/** The SDK names a service error after its S3 error code (`NoSuchKey`); HEAD answers carry no body, hence no code. */
const errorName = (error: unknown): string | undefined => (error instanceof Error ? error.name : undefined);

export function createS3MediaStorage(options: S3StorageOptions): MediaStorage {
  const client = createS3Client(options);
  const Bucket = options.bucket;
  const target = (key: string) => {
    assertStorageKey(key);
    return { Bucket, Key: objectKeyOf(options, key) };
  };

  return {
    kind: 's3',

    async put(key, body, contentType) {
      const object = target(key);
      // A single PUT needs its length up front, so a stream is read to its end first. Media
      // objects are a few MiB and the upload route already holds them in memory; a stream that
      // fails midway then sends nothing at all, leaving the key as it was.
      const bytes = Buffer.isBuffer(body) ? body : await buffer(body);
      await client.send(new PutObjectCommand({ ...object, Body: bytes, ContentLength: bytes.length, ContentType: contentType }));
    },

    async get(key): Promise<StoredObject | null> {
      const object = target(key);
      let answer;
      try {
        answer = await client.send(new GetObjectCommand(object));
      } catch (error) {
        // Only a missing key is "no bytes"; a missing bucket or a refusal is an error to report.
        if (errorName(error) === 'NoSuchKey') return null;
        throw error;
      }
      const { Body, ContentLength } = answer;
      // In Node the body is the response stream itself (or a checksum-checking stream around it).
      if (!(Body instanceof Readable) || ContentLength === undefined) {
        if (Body instanceof Readable) Body.destroy();
        throw new Error(`S3 answered GetObject for ${object.Key} without a readable body and length`);
      }
      return { body: Body, size: ContentLength };
    },

    async delete(key) {
      const object = target(key);
      try {
        await client.send(new DeleteObjectCommand(object));
      } catch (error) {
        // S3 answers 204 for a missing key; some compatible servers answer NoSuchKey instead.
        if (errorName(error) !== 'NoSuchKey') throw error;
      }
    },

    async exists(key) {
      const object = target(key);
      try {
        await client.send(new HeadObjectCommand(object));
        return true;
      } catch (error) {
        // A HEAD answer has no body to tell a missing key from a missing bucket; the bucket is
        // checked at start (ping), and get() does tell them apart.
        if (errorName(error) === 'NotFound' || errorName(error) === 'NoSuchKey') return false;
        throw error;
      }
    },

    async ping() {
      await client.send(new HeadBucketCommand({ Bucket }));
    },

    async close() {
      client.destroy();
    },
  };
}
