/**
 * The behaviour every MediaStorage adapter must have. Run it against an adapter with
 * `mediaStorageContract(name, open)`; the local adapter runs it in local-media-storage.test.ts,
 * and the S3 adapter runs the same function against a bucket in s3-media-storage.test.ts.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import type { MediaStorage } from '../src/storage/media-storage.ts';

export interface OpenedStorage {
  storage: MediaStorage;
  close(): Promise<void>;
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function readKey(storage: MediaStorage, key: string): Promise<Buffer | null> {
  const stored = await storage.get(key);
  if (!stored) return null;
  const bytes = await readAll(stored.body);
  assert.equal(stored.size, bytes.length, `size of ${key} disagrees with its bytes`);
  return bytes;
}

/** A stream that yields some bytes and then fails, as a client hanging up mid-upload would. */
function failingStream(prefix: Buffer): Readable {
  return Readable.from(
    (async function* () {
      yield prefix;
      await new Promise((resolve) => setTimeout(resolve, 5));
      throw new Error('connection lost');
    })(),
  );
}

export function mediaStorageContract(name: string, open: () => Promise<OpenedStorage>): void {
  describe(`MediaStorage contract: ${name}`, () => {
    let opened: OpenedStorage;
    let storage: MediaStorage;
    // Each test writes under its own prefix, so the suite can share a store (a bucket) with others.
    const run = randomBytes(6).toString('hex');
    let counter = 0;
    const key = (suffix = 'object') => `contract-${run}/${++counter}-${suffix}`;

    before(async () => {
      opened = await open();
      storage = opened.storage;
    });
    after(async () => {
      await opened?.close();
    });

    it('answers ping while it is usable', async () => {
      await storage.ping();
    });

    it('gives back exactly the bytes put from a Buffer, with their size', async () => {
      const k = key();
      const bytes = randomBytes(70_000);
      await storage.put(k, bytes, 'image/png');
      assert.deepEqual(await readKey(storage, k), bytes);
      assert.equal(await storage.exists(k), true);
    });

    it('stores a stream, and streams a large object back in pieces', async () => {
      const k = key();
      const pieces = Array.from({ length: 48 }, () => randomBytes(64 * 1024));
      await storage.put(k, Readable.from(pieces), 'image/jpeg');
      const stored = await storage.get(k);
      assert.ok(stored);
      assert.equal(stored.size, 48 * 64 * 1024);
      let chunks = 0;
      const received: Buffer[] = [];
      for await (const chunk of stored.body) {
        chunks += 1;
        received.push(chunk as Buffer);
      }
      assert.ok(chunks > 1, 'a 3 MiB object should arrive in more than one chunk');
      assert.deepEqual(Buffer.concat(received), Buffer.concat(pieces));
    });

    it('keeps an empty object', async () => {
      const k = key();
      await storage.put(k, Buffer.alloc(0), 'image/gif');
      assert.deepEqual(await readKey(storage, k), Buffer.alloc(0));
      assert.equal(await storage.exists(k), true);
    });

    it('answers null and false for a key never written, and deletes it without complaint', async () => {
      const k = key('never');
      assert.equal(await storage.get(k), null);
      assert.equal(await storage.exists(k), false);
      await storage.delete(k);
    });

    it('replaces the whole object on a second put', async () => {
      const k = key();
      await storage.put(k, randomBytes(50_000), 'image/webp');
      const second = randomBytes(1_000);
      await storage.put(k, second, 'image/webp');
      assert.deepEqual(await readKey(storage, k), second);
    });

    it('deletes: the key is gone, and deleting again is fine', async () => {
      const k = key();
      await storage.put(k, randomBytes(10), 'image/png');
      await storage.delete(k);
      assert.equal(await storage.get(k), null);
      assert.equal(await storage.exists(k), false);
      await storage.delete(k);
    });

    it('keeps keys apart: nested, similar and dotted names are different objects', async () => {
      const base = key('a');
      const keys = [base, `${base}-b`, `${base}.b`, `${base}_b/c`, `${base}x/c.webp`];
      const contents = keys.map(() => randomBytes(32));
      for (const [index, k] of keys.entries()) await storage.put(k, contents[index]!, 'image/png');
      for (const [index, k] of keys.entries()) assert.deepEqual(await readKey(storage, k), contents[index]);
      await storage.delete(keys[1]!);
      assert.deepEqual(await readKey(storage, base), contents[0]);
      assert.equal(await storage.exists(keys[1]!), false);
    });

    it('writes nothing under the key when the body stream fails midway', async () => {
      const k = key();
      await assert.rejects(storage.put(k, failingStream(randomBytes(100_000)), 'image/png'));
      assert.equal(await storage.exists(k), false);
      assert.equal(await storage.get(k), null);
    });

    it('keeps the previous bytes when a replacing put fails midway', async () => {
      const k = key();
      const original = randomBytes(20_000);
      await storage.put(k, original, 'image/png');
      await assert.rejects(storage.put(k, failingStream(randomBytes(100_000)), 'image/png'));
      assert.deepEqual(await readKey(storage, k), original);
    });

    it('ends concurrent puts of one key with one of them whole, never a mix', async () => {
      const k = key();
      const candidates = Array.from({ length: 4 }, () => randomBytes(256 * 1024));
      await Promise.all(candidates.map((bytes) => storage.put(k, Readable.from([bytes.subarray(0, 100_000), bytes.subarray(100_000)]), 'image/png')));
      const final = await readKey(storage, k);
      assert.ok(candidates.some((bytes) => final !== null && bytes.equals(final)), 'the stored object is none of the puts');
    });

    it('refuses keys that are empty, absolute, climb out, or hold odd characters', async () => {
      const bad = ['', '/abs', '../escape', 'a/../../escape', 'a//b', './a', 'a/.', '.hidden', 'a/.tmp', 'a\\b', 'a b', 'ä', 'a/', `x${'y'.repeat(600)}`, 'a\0b'];
      for (const k of bad) {
        await assert.rejects(storage.put(k, Buffer.from('x'), 'image/png'), `put(${JSON.stringify(k)}) should be refused`);
        await assert.rejects(storage.get(k), `get(${JSON.stringify(k)}) should be refused`);
        await assert.rejects(storage.exists(k), `exists(${JSON.stringify(k)}) should be refused`);
        await assert.rejects(storage.delete(k), `delete(${JSON.stringify(k)}) should be refused`);
      }
    });
  });
}
