/**
 * Forward-only SQL migrations: the `*.sql` files of a folder, applied in file-name order, each in
 * its own transaction together with its row in `schema_migrations`. Several namespaces (the
 * service's own, the kit's outbox, …) share the table. Instances starting together serialize on an
 * advisory lock, so each file runs once however many of them race.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import { pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import type { Database, Tx } from './database.ts';

export interface MigrationSource {
  /** Keeps one owner's file names apart from another's, e.g. the service name or `kit.outbox`. */
  namespace: string;
  /** A folder of `NNNN_name.sql` files; a file may hold several statements. */
  dir: string;
}

const schemaMigrations = pgTable(
  'schema_migrations',
  {
    namespace: text('namespace').notNull(),
    name: text('name').notNull(),
    appliedAt: timestamp('applied_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.namespace, table.name] })],
);

/** An arbitrary constant shared by every Agora service; advisory locks are scoped to one database. */
const MIGRATION_LOCK = 0x41_67_6f_72; // "Agor"

/** Applies what is pending and returns the file names it applied, in order (none when up to date). */
export async function migrate(database: Database, source: MigrationSource): Promise<string[]> {
  const files = (await readdir(source.dir)).filter((file) => file.endsWith('.sql')).sort(byCodePoint);

  // Even `create table if not exists` can collide when two sessions run it at once, hence the lock.
  await database.transaction(async (tx) => {
    await lock(tx);
    await tx.execute(sql`create table if not exists schema_migrations (
      namespace text not null,
      name text not null,
      applied_at timestamptz not null default now(),
      primary key (namespace, name)
    )`);
  });

  const done = new Set(
    (await database.db.select({ name: schemaMigrations.name }).from(schemaMigrations).where(eq(schemaMigrations.namespace, source.namespace))).map(
      (row) => row.name,
    ),
  );

  const applied: string[] = [];
  for (const file of files) {
    if (done.has(file)) continue;
    const script = await readFile(join(source.dir, file), 'utf8');
    const ran = await database.transaction(async (tx) => {
      await lock(tx);
      // Another instance may have applied it while this one waited for the lock.
      const already = await tx
        .select({ name: schemaMigrations.name })
        .from(schemaMigrations)
        .where(and(eq(schemaMigrations.namespace, source.namespace), eq(schemaMigrations.name, file)));
      if (already.length > 0) return false;
      try {
        await execScript(database, tx, script);
      } catch (err) {
        throw new Error(`migration ${source.namespace}/${file} failed: ${(err as Error).message}`, { cause: err });
      }
      await tx.insert(schemaMigrations).values({ namespace: source.namespace, name: file });
      return true;
    });
    if (ran) applied.push(file);
  }
  return applied;
}

async function lock(tx: Tx): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${sql.raw(String(MIGRATION_LOCK))})`);
}

/**
 * A script of several statements needs the simple query protocol. node-postgres uses it for any
 * query without parameters; PGlite's query() is always extended, so its transaction's exec() is
 * reached through drizzle's session.
 */
async function execScript(database: Database, tx: Tx, script: string): Promise<void> {
  if (database.kind === 'postgres') {
    await tx.execute(sql.raw(script));
    return;
  }
  const client = (tx._.session as unknown as { client?: { exec?: (query: string) => Promise<unknown> } }).client;
  if (typeof client?.exec !== 'function') throw new Error('migrate: this PGlite transaction cannot run SQL scripts');
  await client.exec(script);
}

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
