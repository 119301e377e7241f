/**
 * An S3-compatible server for the tests, in-process: s3rver (objects as files in a temporary
 * directory) on a free loopback port, with one bucket made before it listens. It knows one
 * access key (below) and refuses others; it does not check SigV4 signatures themselves.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import S3rver from 's3rver';

/** s3rver's one account. */
const ACCESS_KEY = 'S3RVER';

export interface LocalS3 {
  bucket: string;
  endpoint: string;
  /** The service settings that point at this server. */
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function startLocalS3(bucket = 'agora-media-test'): Promise<LocalS3> {
  const directory = await mkdtemp(path.join(tmpdir(), 'agora-s3rver-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] });
  replaceObjectsWhole(server);
  try {
    const { port } = await server.run();
    const endpoint = `http://127.0.0.1:${port}`;
    return {
      bucket,
      endpoint,
      env: { S3_BUCKET: bucket, S3_ENDPOINT: endpoint, S3_ACCESS_KEY_ID: ACCESS_KEY, S3_SECRET_ACCESS_KEY: ACCESS_KEY },
      async close() {
        await server.close();
        await rm(directory, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
}

/**
 * s3rver writes a PUT's body straight into the object's file, so two PUTs of one key at once
 * can interleave their bytes and a GET can read half a PUT. S3 itself (and MinIO, Ceph RGW…)
 * replaces an object atomically, which the storage contract checks and the S3 adapter relies
 * on. So the body goes to a temporary file beside it (a name s3rver's listings skip) and is
 * renamed into place: the same store otherwise, with S3's semantics.
 */
function replaceObjectsWhole(server: S3rver): void {
  const { store } = server;
  store.putObject = async (object) => {
    const file = store.getResourcePath(object.bucket, object.key, 'object');
    const temp = `${file}.${randomUUID()}.partial`;
    const md5 = createHash('md5');
    let size = 0;
    const measure = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        md5.update(chunk);
        size += chunk.length;
        done(null, chunk);
      },
    });
    await mkdir(path.dirname(file), { recursive: true });
    try {
      const body = Buffer.isBuffer(object.content) ? Readable.from([object.content]) : object.content;
      await pipeline(body, measure, createWriteStream(temp));
      await rename(temp, file);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    const digest = md5.digest('hex');
    await store.putMetadata(object.bucket, object.key, object.metadata, digest);
    return { size, md5: digest };
  };
}
