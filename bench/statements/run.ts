/**
 * bench/statements: what a statement built once per connection saves (packages/kit/src/db/
 * prepared-statement.ts), on PostgreSQL. Writes an event to the outbox in its own transaction,
 * as every use case does, N times with the statement built by drizzle on each call and N times
 * with the kit's prepared `enqueue`, alternating twice, and prints the CPU per transaction of this
 * process and of its PostgreSQL backend (one connection, read from /proc), and the wall time.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:statements [-- --count 4000]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { openDatabase } from '@agora/kit/db/open-database';
import { migrate } from '@agora/kit/db/migrate';
import { busMigrations, createEvent, enqueue } from '@agora/kit/bus/outbox';
import { outbox } from '@agora/kit/bus/outbox.tables';
import { databaseUrlFor, dropDatabases } from '../lib/databases.ts';

const { values: args } = parseArgs({ options: { count: { type: 'string', default: '4000' } } });
const count = Number(args.count);
const url = process.env['DATABASE_URL'];
if (!url) {
  process.stderr.write('bench/statements needs DATABASE_URL\n');
  process.exit(2);
}

const base = `bench_statements_${Date.now()}`;
const database = await openDatabase({ service: 'outbox', url: databaseUrlFor(url, base), poolSize: 1 });
try {
  await migrate(database, busMigrations);
  const backend = Number(((await database.db.execute(sql`select pg_backend_pid() as pid`)).rows[0] as { pid: number }).pid);
  /** CPU time of the backend in ms, from /proc (the server runs on this machine). */
  const backendCpuMs = (): number => {
    const stat = readFileSync(`/proc/${backend}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  };
  const payload = { text: 'x'.repeat(100) };
  for (const mode of ['built each call', 'prepared', 'built each call', 'prepared'] as const) {
    await database.db.execute(sql`truncate outbox`);
    const cpu = process.cpuUsage();
    const backendBefore = backendCpuMs();
    const started = performance.now();
    for (let n = 0; n < count; n += 1) {
      const envelope = createEvent('bench.happened', { n, ...payload }, { producer: 'bench' });
      await database.transaction(async (tx) => {
        if (mode === 'prepared') await enqueue(tx, envelope);
        else await tx.insert(outbox).values({ id: envelope.id, type: envelope.type, envelope, headers: {} });
      });
    }
    const used = process.cpuUsage(cpu);
    const perTx = (ms: number) => ((ms * 1000) / count).toFixed(0).padStart(4);
    process.stdout.write(
      `${mode.padEnd(16)} node ${perTx((used.user + used.system) / 1000)} µs/tx   PostgreSQL ${perTx(backendCpuMs() - backendBefore)} µs/tx   wall ${perTx(performance.now() - started)} µs/tx\n`,
    );
  }
} finally {
  await database.close();
  await dropDatabases(base, url);
}
