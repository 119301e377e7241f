/** Which storage the S3_* settings choose, their defaults, and how bad values stop the start with the key named. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '@agora/kit/config';
import { MediaConfig } from '../src/config.ts';
import { storageChoice } from '../src/storage/open-media-storage.ts';

const choose = (env: Record<string, string>) => storageChoice(loadConfig(MediaConfig, { AGORA_DATA_DIR: '/srv/agora', ...env }));

/** Fails like a bad setting must: a ConfigError whose problems name `key`. */
function refusedFor(key: string): (error: unknown) => boolean {
  return (error) => {
    assert.ok(error instanceof ConfigError, String(error));
    assert.ok(
      error.problems.some((problem) => problem.startsWith(`${key}: `)),
      `${JSON.stringify(error.problems)} should name ${key}`,
    );
    return true;
  };
}

describe('media storage settings', () => {
  it('keeps files under AGORA_DATA_DIR/media without S3_BUCKET', () => {
    assert.deepEqual(choose({}), { kind: 'local', directory: '/srv/agora/media' });
  });

  it('chooses S3 with S3_BUCKET: AWS by default, us-east-1, virtual-hosted, the SDK’s credentials', () => {
    assert.deepEqual(choose({ S3_BUCKET: 'agora-media' }), {
      kind: 's3',
      options: { bucket: 'agora-media', region: 'us-east-1', endpoint: undefined, forcePathStyle: false, credentials: undefined, prefix: undefined },
    });
  });

  it('addresses buckets by path with S3_ENDPOINT, unless S3_FORCE_PATH_STYLE says otherwise', () => {
    const env = { S3_BUCKET: 'media', S3_ENDPOINT: 'http://minio:9000', S3_ACCESS_KEY_ID: 'id', S3_SECRET_ACCESS_KEY: 'secret', S3_REGION: 'eu-west-3', S3_PREFIX: 'prod/media' };
    assert.deepEqual(choose(env), {
      kind: 's3',
      options: {
        bucket: 'media',
        region: 'eu-west-3',
        endpoint: 'http://minio:9000',
        forcePathStyle: true,
        credentials: { accessKeyId: 'id', secretAccessKey: 'secret' },
        prefix: 'prod/media',
      },
    });
    const choice = choose({ ...env, S3_FORCE_PATH_STYLE: 'false' });
    assert.equal(choice.kind === 's3' && choice.options.forcePathStyle, false);
    const aws = choose({ S3_BUCKET: 'media', S3_FORCE_PATH_STYLE: 'true' });
    assert.equal(aws.kind === 's3' && aws.options.forcePathStyle, true);
  });

  it('refuses a malformed value, naming its key', () => {
    const bad: [string, string][] = [
      ['S3_BUCKET', 'Agora_Media'],
      ['S3_BUCKET', 'ab'],
      ['S3_ENDPOINT', 'minio:9000'],
      ['S3_REGION', 'eu west'],
      ['S3_FORCE_PATH_STYLE', 'yes'],
      ['S3_PREFIX', '/absolute'],
      ['S3_PREFIX', 'a/../b'],
    ];
    for (const [key, value] of bad) {
      assert.throws(() => loadConfig(MediaConfig, { S3_BUCKET: 'agora-media', [key]: value }), refusedFor(key), `${key}=${value}`);
    }
  });

  it('refuses other S3_* settings without S3_BUCKET, rather than quietly using local files', () => {
    assert.throws(() => choose({ S3_ENDPOINT: 'http://minio:9000' }), refusedFor('S3_BUCKET'));
    assert.throws(() => choose({ S3_PREFIX: 'media', S3_REGION: 'eu-west-1' }), refusedFor('S3_BUCKET'));
  });

  it('refuses an access key without its secret, and the other way round', () => {
    assert.throws(() => choose({ S3_BUCKET: 'media', S3_ACCESS_KEY_ID: 'id' }), refusedFor('S3_SECRET_ACCESS_KEY'));
    assert.throws(() => choose({ S3_BUCKET: 'media', S3_SECRET_ACCESS_KEY: 'secret' }), refusedFor('S3_ACCESS_KEY_ID'));
  });
});
