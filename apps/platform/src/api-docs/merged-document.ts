/**
 * The merged OpenAPI document exactly as the gateway serves it at /openapi.json, from an embedded
 * platform started for the purpose on a throwaway data directory.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Json } from '@agora/gateway/openapi/merge-documents';
import { startEmbeddedPlatform, type EmbeddedPlatform } from '../embedded-platform.ts';
import { BASE_URL } from './normalize-document.ts';

const FETCH_TIMEOUT_MS = 30_000;

async function getJson(url: string): Promise<Json> {
  const response = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
  return (await response.json()) as Json;
}

/**
 * The gateway leaves a service whose document it cannot fetch within 2 s out of the merged one
 * and only logs it; on a slow machine that would quietly become the checked-in copy. So every
 * service's own document is fetched first (which also warms it up), and each must have at least
 * one of its paths in the merged document.
 */
async function mergedDocument(platform: EmbeddedPlatform): Promise<Json> {
  const own = await Promise.all(
    Object.entries(platform.services).map(async ([name, service]) => ({ name, paths: Object.keys((await getJson(`${service.url}/openapi.json`))['paths'] ?? {}) })),
  );
  const merged = await getJson(`${platform.url}/openapi.json`);
  const mergedPaths = (merged['paths'] ?? {}) as Json;
  const missing = own.filter(({ paths }) => paths.length > 0 && !paths.some((p) => p in mergedPaths)).map(({ name }) => name);
  if (missing.length > 0) throw new Error(`the merged document lacks the paths of ${missing.join(', ')}: the gateway did not get their documents in time`);
  return merged;
}

export async function fetchMergedDocument(): Promise<Json> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'agora-api-docs-'));
  try {
    // Only what the platform needs: settings from the caller's shell must not change the document.
    const platform = await startEmbeddedPlatform({
      port: 0,
      env: { AGORA_DATA_DIR: dataDir, LOG_LEVEL: 'warn', AGORA_PUBLIC_URL: BASE_URL },
    });
    try {
      return await mergedDocument(platform);
    } finally {
      await platform.close();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
