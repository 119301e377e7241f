/**
 * One typed query layer (drizzle) over either PostgreSQL (node-postgres pool) or PGlite
 * (PostgreSQL compiled to WASM, in-process). Services write their queries once against `Db`;
 * which engine runs them is decided by whether DATABASE_URL is set.
 */
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type { ExtractTablesWithRelations } from 'drizzle-orm';

/**
 * What `execute` resolves to on either engine: node-postgres's QueryResult and PGlite's Results
 * agree on `rows` (and on little else, so nothing more is promised).
 */
export interface QueryResultHKT extends PgQueryResultHKT {
  readonly type: QueryResult<this['row']>;
}
interface QueryResult<TRow> {
  rows: (TRow extends Record<string, unknown> ? TRow : Record<string, unknown>)[];
}

export type Db = PgDatabase<QueryResultHKT, Record<string, never>>;
export type Tx = PgTransaction<QueryResultHKT, Record<string, never>, ExtractTablesWithRelations<Record<string, never>>>;
/** Anything a query can run on: the database itself or an open transaction. */
export type Queryable = Db | Tx;

export interface Database {
  readonly kind: 'postgres' | 'pglite';
  /** The database's name on the server (postgres) or its directory (pglite, `memory://` when in memory). */
  readonly name: string;
  readonly db: Db;
  /**
   * Commits when `work` resolves, rolls back and rethrows when it throws. Inside `work` query
   * through `tx` only: PGlite has a single connection, so a query on `db` waits for the
   * transaction to end and never runs (on postgres it would run outside the transaction).
   */
  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * LISTEN on a channel: `onNotify` runs for each NOTIFY after the notifying transaction
   * commits. Postgres holds a dedicated connection for it; PGlite uses its own listen().
   * Channels are plain identifiers, `[a-z_][a-z0-9_]*`. A dropped connection is reopened, but a
   * NOTIFY sent meanwhile is lost: treat notifications as a wake-up, keep the truth in tables.
   * Resolves to a function that stops this subscription.
   */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  /** Resolves when a trivial query succeeds; used by /health/ready. */
  ping(): Promise<void>;
  /** Ends the pool and the listen connection (or PGlite). Safe to call more than once. */
  close(): Promise<void>;
}
