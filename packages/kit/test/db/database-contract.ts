/**
 * The behaviour every Database must show, whichever engine runs it. Each adapter's test file runs
 * this suite with a factory that opens a fresh, empty database.
 */
import { strict as assert } from 'node:assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { eq, sql } from 'drizzle-orm';
import { integer, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';
import { migrate } from '../../src/db/index.ts';
import { preparedStatement } from '../../src/db/prepared-statement.ts';
import type { Database } from '../../src/db/index.ts';

export type OpenFresh = (options?: { poolSize?: number }) => Promise<Database>;

const notes = pgTable('notes', {
  id: serial('id').primaryKey(),
  body: text('body').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

const counters = pgTable('counters', {
  name: text('name').primaryKey(),
  value: integer('value').notNull(),
});

const createNotes = sql`create table notes (id serial primary key, body text not null, created_at timestamptz not null default now())`;

// Prepared statements are defined once per process, like the kit's own, and used on every engine.
let noteInsertsBuilt = 0;
const insertNote = preparedStatement('contract_insert_note', (q) => {
  noteInsertsBuilt += 1;
  return q.insert(notes).values({ body: sql.placeholder('body') }).returning({ body: notes.body });
});
const notesLike = preparedStatement('contract_notes_like', (q) =>
  q.select({ body: notes.body }).from(notes).where(sql`${notes.body} like ${sql.placeholder('pattern')}`).orderBy(notes.id),
);

export async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

async function rowCount(database: Database, table: string): Promise<number> {
  const result = await database.db.execute(sql`select count(*)::int as n from ${sql.identifier(table)}`);
  return (result.rows[0] as { n: number }).n;
}

async function tableExists(database: Database, table: string): Promise<boolean> {
  const result = await database.db.execute(sql`select to_regclass(${table}) is not null as found`);
  return (result.rows[0] as { found: boolean }).found;
}

export function databaseContract(name: string, openFresh: OpenFresh, options: { skip?: string | false } = {}): void {
  describe(name, { skip: options.skip ?? false, timeout: 180_000 }, () => {
    const opened: Database[] = [];
    const dirs: string[] = [];
    const open = async (poolSize?: number) => {
      const database = await openFresh(poolSize === undefined ? undefined : { poolSize });
      opened.push(database);
      return database;
    };
    const migrationsDir = async (files: Record<string, string>) => {
      const dir = await mkdtemp(join(tmpdir(), 'agora-migrations-'));
      dirs.push(dir);
      for (const [file, body] of Object.entries(files)) await writeFile(join(dir, file), body);
      return dir;
    };

    // Closed after each test, not at the end: a PGlite instance holds about 200 MB.
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((database) => database.close()));
    });
    after(async () => {
      await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
    });

    it('answers a ping', async () => {
      const database = await open();
      await database.ping();
    });

    it('inserts and selects through drizzle tables', async () => {
      const database = await open();
      await database.db.execute(createNotes);
      const [inserted] = await database.db.insert(notes).values({ body: 'hello' }).returning();
      assert.ok(inserted);
      assert.equal(inserted.body, 'hello');
      assert.ok(inserted.createdAt instanceof Date);
      await database.db.insert(notes).values([{ body: 'second' }, { body: 'third' }]);

      const found = await database.db.select().from(notes).where(eq(notes.id, inserted.id));
      assert.deepEqual(found, [inserted]);
      const bodies = (await database.db.select({ body: notes.body }).from(notes).orderBy(notes.id)).map((row) => row.body);
      assert.deepEqual(bodies, ['hello', 'second', 'third']);
    });

    it('commits a transaction and returns its result', async () => {
      const database = await open();
      await database.db.execute(createNotes);
      const id = await database.transaction(async (tx) => {
        const [row] = await tx.insert(notes).values({ body: 'kept' }).returning({ id: notes.id });
        return row!.id;
      });
      const rows = await database.db.select({ body: notes.body }).from(notes).where(eq(notes.id, id));
      assert.deepEqual(rows, [{ body: 'kept' }]);
    });

    it('rolls a transaction back when its work throws, and rethrows the error', async () => {
      const database = await open();
      await database.db.execute(createNotes);
      const failure = new Error('boom');
      await assert.rejects(
        database.transaction(async (tx) => {
          await tx.insert(notes).values({ body: 'lost' });
          assert.equal((await tx.select().from(notes)).length, 1, 'visible inside the transaction');
          throw failure;
        }),
        (err) => err === failure,
      );
      await assert.rejects(
        database.transaction(async (tx) => {
          await tx.insert(notes).values({ body: 'also lost' });
          tx.rollback();
        }),
        /Rollback/,
      );
      assert.equal(await rowCount(database, 'notes'), 0);
      await database.ping();
    });

    it('runs a prepared statement on the handle given: inside a transaction it commits or rolls back with it', async () => {
      const database = await open(2);
      await database.db.execute(createNotes);
      assert.deepEqual(await insertNote(database.db, { body: 'outside' }), [{ body: 'outside' }]);
      await database.transaction(async (tx) => {
        await insertNote(tx, { body: 'kept' });
        assert.deepEqual(await notesLike(tx, { pattern: 'k%' }), [{ body: 'kept' }], 'sees its own transaction’s write');
      });
      await assert.rejects(
        database.transaction(async (tx) => {
          await insertNote(tx, { body: 'undone' });
          throw new Error('roll back');
        }),
      );
      const builtBefore = noteInsertsBuilt;
      await Promise.all(Array.from({ length: 10 }, (_, n) => database.transaction((tx) => insertNote(tx, { body: `n${n}` }))));
      assert.deepEqual(await notesLike(database.db, { pattern: 'undone' }), []);
      assert.equal((await notesLike(database.db, { pattern: 'n%' })).length, 10);
      // PostgreSQL: built at most once per pooled connection; PGlite: once per transaction.
      if (database.kind === 'postgres') assert.ok(noteInsertsBuilt - builtBefore <= 2, `built ${noteInsertsBuilt - builtBefore} times for 10 transactions`);
    });

    it('refuses two prepared statements of one name', () => {
      assert.throws(() => preparedStatement('contract_insert_note', (q) => q.insert(notes).values({ body: sql.placeholder('body') })), /two prepared statements/);
    });

    it('runs many concurrent transactions on a small pool without deadlock or lost updates', async () => {
      const database = await open(2);
      await database.db.execute(sql`create table counters (name text primary key, value int not null)`);
      await database.db.insert(counters).values({ name: 'hits', value: 0 });
      const runs = 20;
      const results = await Promise.all(
        Array.from({ length: runs }, (_, i) =>
          database.transaction(async (tx) => {
            await tx.update(counters).set({ value: sql`${counters.value} + 1` }).where(eq(counters.name, 'hits'));
            await tx.execute(sql`select pg_sleep(0.005)`);
            return i;
          }),
        ),
      );
      assert.equal(results.length, runs);
      const [row] = await database.db.select().from(counters).where(eq(counters.name, 'hits'));
      assert.equal(row?.value, runs);
    });

    describe('migrate', () => {
      it('applies pending files in name order, ignores other files, and is a no-op once applied', async () => {
        const database = await open();
        const dir = await migrationsDir({
          // 0002 depends on 0001, so a wrong order fails.
          '0002_tags.sql': `create table tags (note_id int not null references notes(id), tag text not null);`,
          '0001_notes.sql': `create table notes (id serial primary key, body text not null, created_at timestamptz not null default now());
            insert into notes (body) values ('seeded');
            create index notes_body on notes (body);`,
          'README.md': 'not sql',
        });

        assert.deepEqual(await migrate(database, { namespace: 'test', dir }), ['0001_notes.sql', '0002_tags.sql']);
        assert.deepEqual(await migrate(database, { namespace: 'test', dir }), []);
        assert.equal(await rowCount(database, 'notes'), 1, 'the seed ran once');
        assert.ok(await tableExists(database, 'tags'));

        await writeFile(join(dir, '0003_more.sql'), `insert into notes (body) values ('later');`);
        assert.deepEqual(await migrate(database, { namespace: 'test', dir }), ['0003_more.sql']);
        assert.equal(await rowCount(database, 'notes'), 2);

        const recorded = await database.db.execute(sql`select name, applied_at from schema_migrations where namespace = 'test' order by name`);
        assert.deepEqual(
          recorded.rows.map((row) => (row as { name: string }).name),
          ['0001_notes.sql', '0002_tags.sql', '0003_more.sql'],
        );
        assert.ok(recorded.rows.every((row) => (row as { applied_at: unknown }).applied_at));
      });

      it('rolls back a failing file whole, keeps the ones before it, and retries it next time', async () => {
        const database = await open();
        const dir = await migrationsDir({
          '0001_good.sql': `create table good (x int);`,
          '0002_bad.sql': `create table half_done (x int); select 1/0;`,
        });
        await assert.rejects(migrate(database, { namespace: 'test', dir }), /0002_bad\.sql/);
        assert.ok(await tableExists(database, 'good'));
        assert.equal(await tableExists(database, 'half_done'), false, 'the failing file left nothing behind');
        const recorded = await database.db.execute(sql`select name from schema_migrations`);
        assert.deepEqual(recorded.rows, [{ name: '0001_good.sql' }]);

        await writeFile(join(dir, '0002_bad.sql'), `create table half_done (x int);`);
        assert.deepEqual(await migrate(database, { namespace: 'test', dir }), ['0002_bad.sql']);
        assert.ok(await tableExists(database, 'half_done'));
      });

      it('keeps namespaces apart', async () => {
        const database = await open();
        const first = await migrationsDir({ '0001_init.sql': `create table first_ns (x int);` });
        const second = await migrationsDir({ '0001_init.sql': `create table second_ns (x int);` });
        assert.deepEqual(await migrate(database, { namespace: 'first', dir: first }), ['0001_init.sql']);
        assert.deepEqual(await migrate(database, { namespace: 'second', dir: second }), ['0001_init.sql']);
        assert.ok(await tableExists(database, 'first_ns'));
        assert.ok(await tableExists(database, 'second_ns'));
      });

      it('applies each file once when called concurrently', async () => {
        const database = await open(4);
        const dir = await migrationsDir({
          '0001_a.sql': `create table applied (file text not null); insert into applied values ('0001');`,
          '0002_b.sql': `insert into applied values ('0002'); select pg_sleep(0.05);`,
          '0003_c.sql': `insert into applied values ('0003');`,
        });
        const results = await Promise.all([1, 2, 3].map(() => migrate(database, { namespace: 'test', dir })));
        assert.deepEqual(results.flat().sort(), ['0001_a.sql', '0002_b.sql', '0003_c.sql']);
        assert.equal(await rowCount(database, 'applied'), 3);
      });
    });

    describe('listen', () => {
      it('delivers a NOTIFY only once its transaction commits, and never after a rollback', async () => {
        const database = await open();
        const received: string[] = [];
        const stop = await database.listen('agora_contract', (payload) => received.push(payload));

        await database.transaction(async (tx) => {
          await tx.execute(sql`select pg_notify('agora_contract', 'committed')`);
          await sleep(150);
          assert.deepEqual(received, [], 'nothing arrives before commit');
        });
        await waitFor(() => received.includes('committed'), 'the committed notification');

        await assert.rejects(
          database.transaction(async (tx) => {
            await tx.execute(sql`select pg_notify('agora_contract', 'rolled back')`);
            throw new Error('abort');
          }),
          /abort/,
        );
        // Notifications arrive in commit order, so once the marker is here the rolled back one never will be.
        await database.db.execute(sql`select pg_notify('agora_contract', 'marker')`);
        await waitFor(() => received.includes('marker'), 'the marker');
        assert.deepEqual(received, ['committed', 'marker']);
        await stop();
      });

      it('stops delivering to a listener once unlistened, while others on the channel keep receiving', async () => {
        const database = await open();
        const first: string[] = [];
        const second: string[] = [];
        const stopFirst = await database.listen('agora_contract', (payload) => first.push(payload));
        const stopSecond = await database.listen('agora_contract', (payload) => second.push(payload));

        await database.db.execute(sql`notify agora_contract, 'one'`);
        await waitFor(() => first.length === 1 && second.length === 1, 'both listeners');
        await stopFirst();
        await stopFirst();
        await database.db.execute(sql`notify agora_contract, 'two'`);
        await waitFor(() => second.length === 2, 'the remaining listener');
        assert.deepEqual(first, ['one']);
        assert.deepEqual(second, ['one', 'two']);

        await stopSecond();
        const other: string[] = [];
        const stopOther = await database.listen('agora_other', (payload) => other.push(payload));
        await database.db.execute(sql`notify agora_contract, 'three'`);
        await database.db.execute(sql`notify agora_other, 'marker'`);
        await waitFor(() => other.length === 1, 'the marker');
        assert.deepEqual(second, ['one', 'two']);
        await stopOther();
      });

      it('keeps delivering to other listeners when one throws', async () => {
        const database = await open();
        const received: string[] = [];
        await database.listen('agora_contract', () => {
          throw new Error('listener bug');
        });
        await database.listen('agora_contract', (payload) => received.push(payload));
        await database.db.execute(sql`notify agora_contract, 'first'`);
        await database.db.execute(sql`notify agora_contract, 'second'`);
        await waitFor(() => received.length === 2, 'both notifications');
        assert.deepEqual(received, ['first', 'second']);
        await database.ping();
      });

      it('refuses a channel name that would need quoting', async () => {
        const database = await open();
        await assert.rejects(database.listen('bad channel; drop table x', () => undefined), /invalid LISTEN channel/);
        await assert.rejects(database.listen('Upper', () => undefined), /invalid LISTEN channel/);
      });
    });

    it('closes idempotently, and refuses work afterwards', async () => {
      const database = await open();
      await database.listen('agora_contract', () => undefined);
      await Promise.all([database.close(), database.close()]);
      await database.close();
      await assert.rejects(database.ping());
    });
  });
}
