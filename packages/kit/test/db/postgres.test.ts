import { strict as assert } from 'node:assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { migrate, openDatabase } from '../../src/db/index.ts';
import type { Database } from '../../src/db/index.ts';
import { databaseContract, waitFor } from './database-contract.ts';

const url = process.env.DATABASE_URL;
const skip = !url && 'DATABASE_URL not set';

const run = `t${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
let services = 0;
/** A service name no earlier run used, so opening it creates a new database. */
const freshService = () => `${run}_${++services}`;
const databases = new Set<string>();

/**
 * Dropping a database costs the server up to seconds, so the contract shares one database for the
 * run and empties it before each open instead of creating a database per test.
 */
async function openEmptied(poolSize?: number): Promise<Database> {
  const database = await openTracked(run, poolSize);
  await database.db.execute(sql`drop schema public cascade; create schema public`);
  return database;
}

async function openTracked(service: string, poolSize?: number): Promise<Database> {
  const database = await openDatabase({ service, url: url!, poolSize });
  databases.add(database.name);
  return database;
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

after(async () => {
  if (!url || databases.size === 0) return;
  await Promise.all([...databases].map((name) => admin((client) => client.query(`drop database if exists "${name}" with (force)`))));
});

databaseContract('PostgreSQL', (options) => openEmptied(options?.poolSize), { skip });

describe('PostgreSQL database per service', { skip, timeout: 120_000 }, () => {
  it('names the database after the URL’s database and the service, folded to [a-z0-9_]', async () => {
    const service = `${freshService()}-Mixed.Case`;
    const database = await openTracked(service);
    try {
      const base = new URL(url!).pathname.slice(1) || 'postgres';
      const expected = `${base}_${service}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
      assert.equal(database.kind, 'postgres');
      assert.equal(database.name, expected);
      const current = await database.db.execute(sql`select current_database() as name`);
      assert.deepEqual(current.rows, [{ name: expected }]);
    } finally {
      await database.close();
    }
  });

  it('lets several processes create the same new database at once', async () => {
    const service = freshService();
    const opened = await Promise.all(Array.from({ length: 5 }, () => openTracked(service)));
    try {
      assert.equal(new Set(opened.map((database) => database.name)).size, 1);
      await Promise.all(opened.map((database) => database.ping()));
      const found = await admin((client) => client.query('select count(*)::int as n from pg_database where datname = $1', [opened[0]!.name]));
      assert.equal(found.rows[0].n, 1);
    } finally {
      await Promise.all(opened.map((database) => database.close()));
    }
  });

  it('reuses an existing service database on reopen', async () => {
    const service = freshService();
    const first = await openTracked(service);
    await first.db.execute(sql`create table kept (x int)`);
    await first.close();
    const second = await openTracked(service);
    try {
      const found = await second.db.execute(sql`select to_regclass('kept') is not null as found`);
      assert.deepEqual(found.rows, [{ found: true }]);
    } finally {
      await second.close();
    }
  });

  it('fails to open when the server cannot be reached', async () => {
    const unreachable = new URL(url!);
    unreachable.port = '1';
    await assert.rejects(openDatabase({ service: 'nowhere', url: unreachable.toString() }), /ECONNREFUSED/);
  });

  it('applies each migration once when two instances start together', async () => {
    const one = await openEmptied();
    const two = await openTracked(run);
    const dir = await mkdtemp(join(tmpdir(), 'agora-migrations-'));
    try {
      await writeFile(join(dir, '0001_a.sql'), `create table applied (file text not null); insert into applied values ('0001');`);
      await writeFile(join(dir, '0002_b.sql'), `select pg_sleep(0.1); insert into applied values ('0002');`);
      await writeFile(join(dir, '0003_c.sql'), `insert into applied values ('0003');`);
      const results = await Promise.all([one, two, one, two].map((database) => migrate(database, { namespace: 'test', dir })));
      assert.deepEqual(results.flat().sort(), ['0001_a.sql', '0002_b.sql', '0003_c.sql']);
      const rows = await one.db.execute(sql`select file from applied order by file`);
      assert.deepEqual(rows.rows, [{ file: '0001' }, { file: '0002' }, { file: '0003' }]);
    } finally {
      await Promise.all([one.close(), two.close(), rm(dir, { recursive: true, force: true })]);
    }
  });

  it('listens again after its connection is killed', async () => {
    const database = await openEmptied();
    try {
      const received: string[] = [];
      await database.listen('agora_reconnect', (payload) => received.push(payload));
      await database.db.execute(sql`notify agora_reconnect, 'before'`);
      await waitFor(() => received.includes('before'), 'the first notification');

      const killed = await database.db.execute(
        sql`select pg_terminate_backend(pid) as killed from pg_stat_activity
            where datname = current_database() and application_name like '%-listen'`,
      );
      assert.equal(killed.rows.length, 1, 'exactly one listening connection');

      // Whatever is sent while the connection is down is lost; keep sending until one gets through.
      await waitFor(async () => {
        await database.db.execute(sql`notify agora_reconnect, 'after'`);
        return received.includes('after');
      }, 'a notification after reconnecting');
    } finally {
      await database.close();
    }
  });
});
