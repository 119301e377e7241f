/**
 * Chooses where media bytes live from the settings, like the kit does for the other adapters:
 * S3_BUCKET set means S3-compatible object storage, otherwise local files under
 * AGORA_DATA_DIR/media. Rules between S3_* keys are checked here (config.ts checks each key alone),
 * and the bucket is asked once before the service starts, so a wrong bucket, endpoint or key
 * stops the start with the setting named instead of failing the first upload.
 */
import path from 'node:path';
import { ConfigError } from '@agora/kit/config';
import type { MediaConfig } from '../config.ts';
import { createLocalMediaStorage } from './local-media-storage.ts';
import type { MediaStorage } from './media-storage.ts';
import { createS3MediaStorage, type S3StorageOptions } from './s3-media-storage.ts';

export type StorageChoice = { kind: 'local'; directory: string } | { kind: 's3'; options: S3StorageOptions };

const DEFAULT_REGION = 'us-east-1';

/** The S3_* keys that only mean something with a bucket. */
const BUCKET_ONLY = ['S3_ENDPOINT', 'S3_REGION', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY', 'S3_FORCE_PATH_STYLE', 'S3_PREFIX'] as const;

export function storageChoice(config: MediaConfig): StorageChoice {
  const bucket = config.S3_BUCKET;
  if (bucket === undefined) {
    // Half an S3 configuration would silently keep bytes on one machine's disk: refuse it.
    const stray = BUCKET_ONLY.filter((key) => config[key] !== undefined);
    if (stray.length > 0) throw new ConfigError([`S3_BUCKET: is required when ${stray.join(', ')} ${stray.length === 1 ? 'is' : 'are'} set`]);
    return { kind: 'local', directory: path.join(config.AGORA_DATA_DIR, 'media') };
  }
  const { S3_ACCESS_KEY_ID: accessKeyId, S3_SECRET_ACCESS_KEY: secretAccessKey } = config;
  if (accessKeyId === undefined && secretAccessKey !== undefined) throw new ConfigError(['S3_ACCESS_KEY_ID: is required when S3_SECRET_ACCESS_KEY is set']);
  if (accessKeyId !== undefined && secretAccessKey === undefined) throw new ConfigError(['S3_SECRET_ACCESS_KEY: is required when S3_ACCESS_KEY_ID is set']);
  return {
    kind: 's3',
    options: {
      bucket,
      region: config.S3_REGION ?? DEFAULT_REGION,
      endpoint: config.S3_ENDPOINT,
      forcePathStyle: config.S3_FORCE_PATH_STYLE ?? config.S3_ENDPOINT !== undefined,
      credentials: accessKeyId !== undefined && secretAccessKey !== undefined ? { accessKeyId, secretAccessKey } : undefined,
      prefix: config.S3_PREFIX,
    },
  };
}

export async function openMediaStorage(config: MediaConfig): Promise<MediaStorage> {
  const choice = storageChoice(config);
  if (choice.kind === 'local') return createLocalMediaStorage(choice.directory);
  const storage = createS3MediaStorage(choice.options);
  try {
    await storage.ping();
  } catch (error) {
    await storage.close();
    const where = choice.options.endpoint ?? `AWS (${choice.options.region})`;
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new Error(`S3_BUCKET: bucket ${JSON.stringify(choice.options.bucket)} at ${where} is not usable (${reason})`, { cause: error });
  }
  return storage;
}
