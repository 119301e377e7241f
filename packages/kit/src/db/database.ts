/**
 * One typed query layer (drizzle) over either PostgreSQL (node-postgres pool) or PGlite
 * (PostgreSQL compiled to WASM, in-process). Services write their queries once against `Db`;
 * which engine runs them is decided by whether DATABASE_URL is set.
 */
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type { ExtractTablesWithRelations } from 'drizzle-orm';

export type Db = PgDatabase<PgQueryResultHKT, Record<string, never>>;
export type Tx = PgTransaction<PgQueryResultHKT, Record<string, never>, ExtractTablesWithRelations<Record<string, never>>>;
/** Anything a query can run on: the database itself or an open transaction. */
export type Queryable = Db | Tx;

export interface Database {
  readonly kind: 'postgres' | 'pglite';
  /** The database's name on the server (postgres) or its directory (pglite, `memory://` when in memory). */
  readonly name: string;
  readonly db: Db;
  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * LISTEN on a channel: `onNotify` runs for each NOTIFY after the notifying transaction
   * commits. Postgres holds a dedicated connection for it; PGlite uses its own listen().
   */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  /** Resolves when a trivial query succeeds; used by /health/ready. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
