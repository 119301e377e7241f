/**
 * Where media bytes live, behind one small interface: local files in the embedded mode
 * (local-media-storage.ts), S3-compatible object storage in production (s3-media-storage.ts);
 * open-media-storage.ts picks one from the settings. Every adapter passes the contract suite in
 * test/storage-contract.ts. Keys are chosen by the service, never by clients; they are still
 * checked, so a bug can't make an adapter write outside its own space.
 */
import type { Readable } from 'node:stream';

export interface StoredObject {
  /** The bytes, streamed: the read path never holds a whole file in memory. */
  body: Readable;
  size: number;
}

export interface MediaStorage {
  readonly kind: string;
  /**
   * Stores `body` under `key`, replacing what was there. All or nothing: a failure (or a crash)
   * midway never leaves part of the bytes readable under `key`.
   */
  put(key: string, body: Buffer | Readable, contentType: string): Promise<void>;
  /** The bytes under `key`, or null when there are none. */
  get(key: string): Promise<StoredObject | null>;
  /** Removes `key`; removing a key that isn't there is not an error. */
  delete(key: string): Promise<void>;
  exists(key: string): Promise<boolean>;
  /** Resolves when the store answers and is usable (its directory, its bucket); rejects with why not. */
  ping(): Promise<void>;
  /** Releases what the adapter holds open (connections); the adapter is not used afterwards. */
  close(): Promise<void>;
}

/** Slash-separated segments of letters, digits, `.`, `_` and `-`, each starting with a letter or digit. */
const KEY = /^[A-Za-z0-9][\w.-]{0,127}(\/[A-Za-z0-9][\w.-]{0,127}){0,7}$/;

export const isStorageKey = (key: string): boolean => KEY.test(key) && key.length <= 512;

export function assertStorageKey(key: string): void {
  if (typeof key !== 'string' || !isStorageKey(key)) throw new TypeError(`invalid storage key ${JSON.stringify(key)}`);
}
