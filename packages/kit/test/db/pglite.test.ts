import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { migrate, openDatabase } from '../../src/db/index.ts';
import { databaseContract } from './database-contract.ts';

const scratch = await mkdtemp(join(tmpdir(), 'agora-pglite-'));
after(() => rm(scratch, { recursive: true, force: true }));

let dirs = 0;
const freshDir = () => join(scratch, `db${++dirs}`, 'pglite', 'contract');

databaseContract('PGlite in memory', () => openDatabase({ service: 'contract' }));
databaseContract('PGlite on disk', () => openDatabase({ service: 'contract', dataDir: freshDir() }));

describe('PGlite', { timeout: 180_000 }, () => {
  it('is named memory:// when in memory', async () => {
    const database = await openDatabase({ service: 'contract' });
    try {
      assert.equal(database.kind, 'pglite');
      assert.equal(database.name, 'memory://');
    } finally {
      await database.close();
    }
  });

  it('keeps data and applied migrations in its directory across a reopen', async () => {
    const dataDir = freshDir();
    const migrations = join(scratch, 'persist-migrations');
    await rm(migrations, { recursive: true, force: true });
    await mkdir(migrations);
    await writeFile(join(migrations, '0001_init.sql'), `create table kept (body text not null); insert into kept values ('from migration');`);

    const first = await openDatabase({ service: 'contract', dataDir });
    assert.equal(first.name, dataDir);
    assert.ok(existsSync(join(dataDir, 'PG_VERSION')), 'the cluster lives in the directory');
    assert.deepEqual(await migrate(first, { namespace: 'test', dir: migrations }), ['0001_init.sql']);
    await first.db.execute(sql`insert into kept values ('written')`);
    await first.close();

    const second = await openDatabase({ service: 'contract', dataDir });
    try {
      assert.deepEqual(await migrate(second, { namespace: 'test', dir: migrations }), []);
      const rows = await second.db.execute(sql`select body from kept order by body`);
      assert.deepEqual(rows.rows, [{ body: 'from migration' }, { body: 'written' }]);
    } finally {
      await second.close();
    }
  });

  it('gives separate in-memory databases separate data', async () => {
    const [one, two] = await Promise.all([openDatabase({ service: 'a' }), openDatabase({ service: 'b' })]);
    try {
      await one.db.execute(sql`create table only_here (x int)`);
      const found = await two.db.execute(sql`select to_regclass('only_here') is not null as found`);
      assert.deepEqual(found.rows, [{ found: false }]);
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });
});
