/**
 * The embedded platform's database: one PGlite instance shared by every service, a schema each.
 * Each Database must pass the same contract as one with an instance of its own, and services must
 * not see each other's tables however their statements interleave on the single connection.
 */
import { strict as assert } from 'node:assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import { integer, pgTable, serial, text } from 'drizzle-orm/pg-core';
import { migrate, openDatabase, openSharedPglite, type Database, type SharedPglite } from '../../src/db/index.ts';
import { busMigrations } from '../../src/bus/outbox.ts';
import { databaseContract } from './database-contract.ts';

const scratch = await mkdtemp(join(tmpdir(), 'agora-pglite-shared-'));
const instances: SharedPglite[] = [];
after(async () => {
  await Promise.all(instances.map((instance) => instance.close()));
  await rm(scratch, { recursive: true, force: true });
});

async function sharedInstance(dataDir?: string): Promise<SharedPglite> {
  const instance = await openSharedPglite(dataDir === undefined ? {} : { dataDir });
  instances.push(instance);
  return instance;
}

// Each fresh Database is a new schema of one instance that keeps the earlier ones (with their
// tables of the same names) and a neighbour that stays open throughout.
function sharedContract(name: string, dataDir?: string): void {
  let instance: Promise<SharedPglite> | undefined;
  let neighbour: Promise<Database> | undefined;
  let schemas = 0;
  databaseContract(name, async () => {
    instance ??= sharedInstance(dataDir);
    const shared = await instance;
    neighbour ??= openDatabase({ service: 'neighbour', shared }).then(async (database) => {
      await database.db.execute(sql`create table notes (id serial primary key, body text not null)`);
      await database.db.execute(sql`create table counters (name text primary key, value int not null)`);
      await database.db.execute(sql`insert into notes (body) values ('the neighbour''s')`);
      return database;
    });
    await neighbour;
    return openDatabase({ service: `contract_${++schemas}`, shared });
  });
}

sharedContract('PGlite shared, a schema per Database, in memory');
sharedContract('PGlite shared, a schema per Database, on disk', join(scratch, 'contract'));

/** drizzle wraps a driver's error as "Failed query: …" with the original as its cause. */
const failedWith = (pattern: RegExp) => (err: unknown) => pattern.test(String((err as Error).cause ?? err));

const items = pgTable('items', {
  id: serial('id').primaryKey(),
  owner: text('owner').notNull(),
  n: integer('n').notNull(),
});

describe('PGlite shared by services', { timeout: 180_000 }, () => {
  it('keeps two services with same-named tables apart, however their statements interleave', async () => {
    const shared = await sharedInstance(join(scratch, 'isolation'));
    const dir = await mkdtemp(join(scratch, 'migrations-'));
    await writeFile(join(dir, '0001_items.sql'), `create table items (id serial primary key, owner text not null, n int not null);
      create index items_owner on items (owner);`);
    const [alpha, beta] = await Promise.all([openDatabase({ service: 'alpha', shared }), openDatabase({ service: 'beta', shared })]);
    try {
      assert.equal(alpha.kind, 'pglite');
      assert.equal(alpha.name, `${shared.name}#alpha`);
      // Both apply the same files: each has its own schema_migrations and outbox.
      const applied = await Promise.all([alpha, beta].flatMap((database) => [migrate(database, { namespace: 'test', dir }), migrate(database, busMigrations)]));
      assert.deepEqual(applied[0], ['0001_items.sql']);
      assert.deepEqual(applied[2], ['0001_items.sql']);
      assert.ok(applied[1]!.length > 0 && applied[3]!.length === applied[1]!.length);

      const runs = 40;
      const work = (database: Database, owner: string) =>
        Array.from({ length: runs }, (_, i) => {
          switch (i % 4) {
            case 0:
              return database.db.insert(items).values({ owner, n: i });
            case 1:
              return database.transaction(async (tx) => {
                await tx.insert(items).values({ owner, n: i });
                await tx.execute(sql`select pg_sleep(0.001)`);
                const mine = await tx.select().from(items);
                assert.ok(mine.every((row) => row.owner === owner), `${owner} saw another service's row inside a transaction`);
              });
            case 2:
              return database.db
                .select()
                .from(items)
                .then((rows) => assert.ok(rows.every((row) => row.owner === owner), `${owner} saw another service's row`));
            default:
              return database.db.execute(sql`select current_schema() as schema`).then((result) => assert.deepEqual(result.rows, [{ schema: owner }]));
          }
        });
      await Promise.all([...work(alpha, 'alpha'), ...work(beta, 'beta')]);

      for (const [database, owner] of [
        [alpha, 'alpha'],
        [beta, 'beta'],
      ] as const) {
        const rows = await database.db.select().from(items).where(eq(items.owner, owner));
        assert.equal(rows.length, runs / 2, `${owner} has its own rows`);
        const count = await database.db.execute(sql`select count(*)::int as n from items`);
        assert.deepEqual(count.rows, [{ n: runs / 2 }], `${owner} sees only its own rows`);
      }
      // The tables really are in two schemas, and the connection's own search path is untouched.
      const tables = await shared.pglite.query<{ schema: string }>(`select table_schema as schema from information_schema.tables where table_name = 'items' order by 1`);
      assert.deepEqual(tables.rows, [{ schema: 'alpha' }, { schema: 'beta' }]);
      const path = await shared.pglite.query<{ search_path: string }>('show search_path');
      assert.match(path.rows[0]!.search_path, /public/);

      // A failing statement or transaction of one service leaves the other's work alone.
      const results = await Promise.allSettled([
        alpha.db.execute(sql`select 1/0`),
        beta.db.insert(items).values({ owner: 'beta', n: -1 }),
        alpha.transaction(async (tx) => {
          await tx.insert(items).values({ owner: 'alpha', n: -1 });
          throw new Error('abort');
        }),
        beta.db.select().from(items),
      ]);
      assert.deepEqual(
        results.map((result) => result.status),
        ['rejected', 'fulfilled', 'rejected', 'fulfilled'],
      );
      assert.deepEqual(await alpha.db.execute(sql`select count(*)::int as n from items where n = -1`).then((r) => r.rows), [{ n: 0 }]);
      assert.deepEqual(await beta.db.execute(sql`select count(*)::int as n from items where n = -1`).then((r) => r.rows), [{ n: 1 }]);
    } finally {
      await alpha.close();
    }
    // Closing one service's Database leaves the instance to the others.
    await assert.rejects(alpha.ping(), failedWith(/database is closed/));
    await beta.ping();
    await beta.close();
    assert.equal(shared.pglite.closed, false);
  });

  it('keeps each service\'s schema across a reopen of the instance', async () => {
    const dataDir = join(scratch, 'reopen');
    const first = await openSharedPglite({ dataDir });
    const users = await openDatabase({ service: 'users', shared: first });
    await users.db.execute(sql`create table kept (body text)`);
    await users.db.execute(sql`insert into kept values ('written')`);
    await users.close();
    await first.close();

    const second = await sharedInstance(dataDir);
    const again = await openDatabase({ service: 'users', shared: second });
    const other = await openDatabase({ service: 'identity', shared: second });
    try {
      assert.deepEqual((await again.db.execute(sql`select body from kept`)).rows, [{ body: 'written' }]);
      await assert.rejects(other.db.execute(sql`select body from kept`), failedWith(/relation "kept" does not exist/));
    } finally {
      await Promise.all([again.close(), other.close()]);
    }
  });

  it('refuses a service name that would take a reserved schema', async () => {
    const shared = await sharedInstance();
    await assert.rejects(openDatabase({ service: 'public', shared }), /reserved/);
    await assert.rejects(openDatabase({ service: 'pg_catalog', shared }), /reserved/);
    await assert.rejects(openDatabase({ service: '', shared }), /must not be empty/);
  });
});
