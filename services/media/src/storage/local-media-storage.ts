/**
 * MediaStorage on the local file system (the embedded mode): one file per key under `root`.
 * Bytes are written to a temporary file in `root/.tmp`, flushed, then renamed into place, so a
 * crash or a failed stream never leaves a partial file under a real key (rename is atomic within
 * one file system). Keys can't name `.tmp` (segments start with a letter or digit) nor leave `root`.
 */
import { randomUUID } from 'node:crypto';
import { constants, createWriteStream } from 'node:fs';
import { access, mkdir, open, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { assertStorageKey, type MediaStorage, type StoredObject } from './media-storage.ts';

const TEMP_DIR = '.tmp';
/** Temporary files older than this are leftovers of a crash: no write takes that long. */
const STALE_TEMP_MS = 60 * 60 * 1000;

const isMissing = (error: unknown): boolean => (error as NodeJS.ErrnoException).code === 'ENOENT';

export async function createLocalMediaStorage(directory: string): Promise<MediaStorage> {
  const root = path.resolve(directory);
  const tempDir = path.join(root, TEMP_DIR);
  await mkdir(tempDir, { recursive: true });
  await sweepStaleTemps(tempDir);

  const pathOf = (key: string): string => {
    assertStorageKey(key);
    const full = path.resolve(root, ...key.split('/'));
    // The key grammar already rules out `..` and absolute paths; this is the belt to those braces.
    if (!full.startsWith(root + path.sep)) throw new TypeError(`storage key ${JSON.stringify(key)} leaves the storage directory`);
    return full;
  };

  return {
    kind: 'local',

    async put(key, body, _contentType) {
      // The content type lives in the database row; files don't carry one.
      const target = pathOf(key);
      const temp = path.join(tempDir, randomUUID());
      try {
        if (Buffer.isBuffer(body)) await writeFile(temp, body, { flag: 'wx', flush: true });
        else await pipeline(body, createWriteStream(temp, { flags: 'wx', flush: true }));
        await mkdir(path.dirname(target), { recursive: true });
        await rename(temp, target);
      } catch (error) {
        await rm(temp, { force: true });
        throw error;
      }
    },

    async get(key): Promise<StoredObject | null> {
      const file = pathOf(key);
      let handle;
      try {
        handle = await open(file, 'r');
      } catch (error) {
        if (isMissing(error)) return null;
        throw error;
      }
      try {
        // Size and stream come from the same open file, so a concurrent delete or replace can't
        // make them disagree.
        const info = await handle.stat();
        if (!info.isFile()) {
          await handle.close();
          return null;
        }
        return { body: handle.createReadStream({ autoClose: true }), size: info.size };
      } catch (error) {
        await handle.close();
        throw error;
      }
    },

    async delete(key) {
      await rm(pathOf(key), { force: true });
    },

    async exists(key) {
      try {
        return (await stat(pathOf(key))).isFile();
      } catch (error) {
        if (isMissing(error)) return false;
        throw error;
      }
    },

    async ping() {
      // Writes go through the temporary directory first, so that is what must stay writable.
      await access(tempDir, constants.W_OK);
    },

    async close() {
      // Nothing is held open between calls.
    },
  };
}

async function sweepStaleTemps(tempDir: string): Promise<void> {
  const cutoff = Date.now() - STALE_TEMP_MS;
  for (const name of await readdir(tempDir)) {
    const file = path.join(tempDir, name);
    const info = await stat(file).catch(() => null);
    if (info && info.mtimeMs < cutoff) await rm(file, { force: true, recursive: true });
  }
}
