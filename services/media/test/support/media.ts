/** Starts the media service for a test, with helpers shared by its test files. */
import assert from 'node:assert/strict';
import { access, readdir } from 'node:fs/promises';
import path from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { outbox, processedEvents } from '@agora/kit/bus/outbox.tables';
import { startServiceUnderTest, type ServiceUnderTest } from '@agora/kit/testing/service-harness';
import type { MediaConfig } from '../../src/config.ts';
import { mediaModule } from '../../src/module.ts';
import { fileForm, type MultipartBody } from './images.ts';

export const MEDIA = '/api/v1/media';
export const PUBLIC_URL = 'https://agora.example';

export type MediaService = ServiceUnderTest<MediaConfig>;

export function startMedia(): Promise<MediaService> {
  return startServiceUnderTest(mediaModule, {
    watch: ['media.uploaded', 'media.deleted'],
    env: { AGORA_PUBLIC_URL: PUBLIC_URL, MEDIA_PURGE_INTERVAL_MS: '50' },
  });
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

/** Where the local storage adapter keeps an upload's renditions. */
export function filesOf(svc: MediaService, id: string): { image: string; thumbnail: string } {
  const root = path.join(svc.config.AGORA_DATA_DIR, 'media');
  return { image: path.join(root, 'images', id), thumbnail: path.join(root, 'thumbnails', id) };
}

export const fileExists = (file: string): Promise<boolean> => access(file).then(
  () => true,
  () => false,
);

/** Every object the storage holds (temporary files aside). */
export async function storedObjects(svc: MediaService): Promise<string[]> {
  const root = path.join(svc.config.AGORA_DATA_DIR, 'media');
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile() && !entry.parentPath.includes('.tmp')).map((entry) => path.join(entry.parentPath, entry.name));
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
