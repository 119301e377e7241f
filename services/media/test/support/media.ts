/**
 * Starts the media service for a test, with helpers shared by its test files. Its bytes go to
 * local files, or, when S3_BUCKET is in the environment, to that bucket (with the S3_ENDPOINT,
 * credentials… beside it), each service under a key prefix of its own: the same suites then
 * prove the service on S3 (s3-service.test.ts does so against s3rver).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { and, eq, sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { outbox, processedEvents } from '@agora/kit/bus/outbox.tables';
import { startServiceUnderTest, type ServiceUnderTest } from '@agora/kit/testing/service-harness';
import type { MediaConfig } from '../../src/config.ts';
import { keysOf } from '../../src/domain/media.ts';
import { mediaModule } from '../../src/module.ts';
import type { MediaStorage } from '../../src/storage/media-storage.ts';
import { openMediaStorage, storageChoice } from '../../src/storage/open-media-storage.ts';
import { createS3Client, objectKeyOf } from '../../src/storage/s3-media-storage.ts';
import { fileForm, type MultipartBody } from './images.ts';

export const MEDIA = '/api/v1/media';
export const PUBLIC_URL = 'https://agora.example';

export type MediaService = ServiceUnderTest<MediaConfig> & {
  /** The service's storage seen through an adapter of the test's own, to check what is stored. */
  storage: MediaStorage;
};

/** The S3_* settings of the environment, with a prefix for this service alone; none without S3_BUCKET. */
function storageEnv(): Record<string, string> {
  const env = Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[0].startsWith('S3_') && entry[1] !== undefined));
  if (!env['S3_BUCKET']) return {};
  env['S3_PREFIX'] = [env['S3_PREFIX']?.replace(/\/+$/, ''), `test-${randomBytes(5).toString('hex')}`].filter(Boolean).join('/');
  return env;
}

export async function startMedia(): Promise<MediaService> {
  const svc = await startServiceUnderTest(mediaModule, {
    watch: ['media.uploaded', 'media.deleted'],
    env: { AGORA_PUBLIC_URL: PUBLIC_URL, MEDIA_PURGE_INTERVAL_MS: '50', ...storageEnv() },
  });
  let storage: MediaStorage;
  try {
    storage = await openMediaStorage(svc.config);
  } catch (error) {
    await svc.close();
    throw error;
  }
  return {
    ...svc,
    storage,
    async close() {
      await storage.close();
      await svc.close();
    },
  };
}

export function upload(svc: MediaService, token: string | undefined, form: MultipartBody): Promise<LightMyRequestResponse> {
  return svc.request('POST', MEDIA, { body: form.body, headers: form.headers, ...(token === undefined ? {} : { token }) });
}

/** Uploads `bytes` and insists on 201. */
export async function uploaded(svc: MediaService, token: string, bytes: Buffer): Promise<any> {
  const response = await upload(svc, token, fileForm(bytes));
  assert.equal(response.statusCode, 201, response.body);
  return response.json();
}

/** The path part of one of our absolute URLs, to fetch it from the service in-process. */
export function pathOf(url: string): string {
  assert.ok(url.startsWith(`${PUBLIC_URL}${MEDIA}/`), `${url} is not under ${PUBLIC_URL}${MEDIA}`);
  return url.slice(PUBLIC_URL.length);
}

export async function fetchBytes(svc: MediaService, url: string): Promise<LightMyRequestResponse> {
  return svc.request('GET', pathOf(url));
}

/** Whether each rendition of an upload has bytes in storage. */
export async function renditionsStored(svc: MediaService, id: string): Promise<{ image: boolean; thumbnail: boolean }> {
  const keys = keysOf(id);
  return { image: await svc.storage.exists(keys.image), thumbnail: await svc.storage.exists(keys.thumbnail) };
}

/** Every object the storage holds: files (temporary ones aside), or the objects under the service's prefix. */
export async function storedObjects(svc: MediaService): Promise<string[]> {
  const choice = storageChoice(svc.config);
  if (choice.kind === 'local') {
    const entries = await readdir(choice.directory, { recursive: true, withFileTypes: true });
    return entries.filter((entry) => entry.isFile() && !entry.parentPath.includes('.tmp')).map((entry) => path.join(entry.parentPath, entry.name));
  }
  const client = createS3Client(choice.options);
  try {
    const keys: string[] = [];
    let ContinuationToken: string | undefined;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket: choice.options.bucket, Prefix: objectKeyOf(choice.options, ''), ContinuationToken }));
      keys.push(...(page.Contents ?? []).flatMap((object) => (object.Key ? [object.Key] : [])));
      ContinuationToken = page.NextContinuationToken;
    } while (ContinuationToken);
    return keys;
  } finally {
    client.destroy();
  }
}

/** Whether the service's consumer has committed its handling of the event. */
export async function processed(svc: MediaService, eventId: string): Promise<boolean> {
  const rows = await svc.database.db.select().from(processedEvents).where(and(eq(processedEvents.consumer, 'media'), eq(processedEvents.eventId, eventId)));
  return rows.length > 0;
}

/** media.deleted events the service has committed for `mediaId` (from its outbox: exact, whatever the relay's timing). */
export async function deletionsAnnounced(svc: MediaService, mediaId: string): Promise<number> {
  const rows = await svc.database.db
    .select({ id: outbox.id })
    .from(outbox)
    .where(and(eq(outbox.type, 'media.deleted'), sql`${outbox.envelope}->'data'->>'mediaId' = ${mediaId}`));
  return rows.length;
}
