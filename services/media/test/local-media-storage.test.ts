/** The local-files MediaStorage: the shared contract, plus what only files can show (atomic writes, confinement). */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { createLocalMediaStorage } from '../src/storage/local-media-storage.ts';
import { mediaStorageContract } from './storage-contract.ts';

const scratch = () => mkdtemp(path.join(tmpdir(), 'agora-media-storage-'));

mediaStorageContract('local files', async () => {
  const dir = await scratch();
  return { storage: await createLocalMediaStorage(dir), close: () => rm(dir, { recursive: true, force: true }) };
});

describe('local media storage', () => {
  let dir: string;
  before(async () => {
    dir = await scratch();
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps each object as one file under its directory and no temporary file behind', async () => {
    const storage = await createLocalMediaStorage(path.join(dir, 'media'));
    const bytes = randomBytes(1234);
    await storage.put('images/one', bytes, 'image/png');
    assert.deepEqual(await readdir(path.join(dir, 'media', 'images')), ['one']);
    assert.deepEqual(await readdir(path.join(dir, 'media', '.tmp')), []);
  });

  it('leaves neither the key nor a temporary file when a stream fails', async () => {
    const storage = await createLocalMediaStorage(path.join(dir, 'failing'));
    const body = Readable.from(
      (async function* () {
        yield randomBytes(10_000);
        throw new Error('client went away');
      })(),
    );
    await assert.rejects(storage.put('images/broken', body, 'image/png'), /client went away/);
    assert.deepEqual(await readdir(path.join(dir, 'failing', '.tmp')), []);
    assert.equal(await storage.exists('images/broken'), false);
  });

  it('sweeps temporary files a crash left behind, but not fresh ones', async () => {
    const root = path.join(dir, 'crashed');
    await mkdir(path.join(root, '.tmp'), { recursive: true });
    await writeFile(path.join(root, '.tmp', 'stale'), 'half a file');
    const old = new Date(Date.now() - 2 * 60 * 60 * 1000);
    await utimes(path.join(root, '.tmp', 'stale'), old, old);
    await writeFile(path.join(root, '.tmp', 'fresh'), 'being written');
    await createLocalMediaStorage(root);
    assert.deepEqual(await readdir(path.join(root, '.tmp')), ['fresh']);
  });

  it('never touches files outside its directory', async () => {
    const storage = await createLocalMediaStorage(path.join(dir, 'confined'));
    await writeFile(path.join(dir, 'outside'), 'keep me');
    await assert.rejects(storage.delete('../outside'));
    await assert.rejects(storage.get('../outside'));
    assert.deepEqual((await readdir(dir)).includes('outside'), true);
  });
});
