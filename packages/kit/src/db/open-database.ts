/**
 * Opens a service's database: PostgreSQL (one database per service, created on first start) when a
 * URL is given, PGlite otherwise (a directory per service, or in memory for tests), or a schema of
 * one PGlite instance shared by every service of the embedded platform.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import type { Logger } from '../logger.ts';
import type { Database, Db, Tx } from './database.ts';

/** One PGlite instance shared by several services, each in its own schema (see openSharedPglite). */
export interface SharedPglite {
  /** Its directory, `memory://` when in memory. */
  readonly name: string;
  /** @internal the instance itself, for openDatabase. */
  readonly pglite: PGlite;
  /** Closes the instance; close the services' Databases first. Safe to call more than once. */
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** The owning service; names its PostgreSQL database (`<db-of-url>_<service>`). */
  service: string;
  /** A postgres:// URL. Its own database is only used to create the service's database. */
  url?: string;
  /** PGlite only: a directory on disk (created if missing); in memory when absent. */
  dataDir?: string;
  logger?: Logger;
  /** PostgreSQL only: the most connections the pool opens (default 10). */
  poolSize?: number;
  /**
   * PGlite only: the service gets a schema (named after it) of this shared instance instead of an
   * instance of its own; `dataDir` is then ignored. Ignored when `url` is set.
   */
  shared?: SharedPglite;
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  if (options.url) return openPostgres(options.url, options);
  return options.shared ? openPgliteSchema(options.shared, options) : openPglite(options);
}

/**
 * LISTEN takes an identifier, not a parameter, so a channel is restricted to what needs no quoting
 * and reads the same on both engines (PGlite passes the name through to LISTEN unquoted).
 */
const CHANNEL = /^[a-z_][a-z0-9_]{0,62}$/;

function assertChannel(channel: string): void {
  if (!CHANNEL.test(channel)) throw new Error(`invalid LISTEN channel "${channel}": use [a-z_][a-z0-9_]*, at most 63 characters`);
}

type NotifyCallback = (payload: string) => void;

function deliver(callback: NotifyCallback, payload: string, channel: string, logger: Logger | undefined): void {
  try {
    callback(payload);
  } catch (err) {
    // A listener's bug must not take the connection (or, on PGlite, the process) down with it.
    logger?.error({ err, channel }, 'database notification handler failed');
  }
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL

/** `<database of the url>_<service>`, folded to [a-z0-9_] so it never needs quoting anywhere. */
function serviceDatabaseName(url: string, service: string): string {
  if (!service) throw new Error('openDatabase: service must not be empty');
  const base = decodeURIComponent(new URL(url).pathname.slice(1)) || 'postgres';
  const name = `${base}_${service}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  // Postgres would silently truncate a longer name, and two services could then share a database.
  if (name.length > 63) throw new Error(`database name "${name}" is longer than PostgreSQL's 63 characters`);
  return name;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

const DUPLICATE_DATABASE = '42P04';
/** Two CREATE DATABASE racing on the catalog's unique index can fail this way instead of 42P04. */
const UNIQUE_VIOLATION = '23505';

const UNDEFINED_DATABASE = '3D000';

/**
 * Connects to the URL's own database to create service databases; when that one doesn't exist
 * (DATABASE_URL names only a prefix, such as `/agora`), to the `postgres` maintenance database.
 */
async function connectAdmin(adminUrl: string): Promise<pg.Client> {
  const admin = new pg.Client({ connectionString: adminUrl });
  try {
    await admin.connect();
    return admin;
  } catch (err) {
    if ((err as { code?: string }).code !== UNDEFINED_DATABASE) throw err;
    const maintenance = new pg.Client({ connectionString: withDatabase(adminUrl, 'postgres') });
    await maintenance.connect();
    return maintenance;
  }
}

async function ensureDatabase(adminUrl: string, name: string, logger: Logger | undefined): Promise<void> {
  const admin = await connectAdmin(adminUrl);
  try {
    const found = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount) return;
    try {
      await admin.query(`create database "${name}"`);
      logger?.info({ database: name }, 'created database');
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code !== DUPLICATE_DATABASE && code !== UNIQUE_VIOLATION) throw err;
    }
  } finally {
    await admin.end();
  }
}

async function openPostgres(url: string, options: OpenDatabaseOptions): Promise<Database> {
  const { service, logger } = options;
  const name = serviceDatabaseName(url, service);
  await ensureDatabase(url, name, logger);
  const connectionString = withDatabase(url, name);

  const pool = new pg.Pool({ connectionString, max: options.poolSize ?? 10, application_name: `agora-${service}` });
  // An idle client whose server went away emits here; unhandled, it would crash the process.
  pool.on('error', (err) => logger?.warn({ err, database: name }, 'idle database connection failed'));
  const db = drizzlePg(pool) as unknown as Db;
  const listener = new PgListener(connectionString, `agora-${service}-listen`, logger);

  try {
    await db.execute(sql`select 1`);
  } catch (err) {
    await pool.end();
    throw err;
  }

  let closing: Promise<void> | undefined;
  return {
    kind: 'postgres',
    name,
    db,
    transaction: <T>(work: (tx: Tx) => Promise<T>) => db.transaction(work),
    listen: (channel, onNotify) => listener.listen(channel, onNotify),
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    close: () => {
      closing ??= (async () => {
        await listener.close();
        await pool.end();
      })();
      return closing;
    },
  };
}

const RECONNECT_FIRST_MS = 100;
const RECONNECT_MAX_MS = 5_000;

/**
 * One dedicated connection holding every LISTEN of a Database. If it drops it is reopened with
 * backoff and the channels are listened to again; a NOTIFY committed while it was down is lost, so
 * treat notifications as a wake-up and keep the truth in tables.
 */
class PgListener {
  readonly #connectionString: string;
  readonly #applicationName: string;
  readonly #logger: Logger | undefined;
  readonly #channels = new Map<string, Set<NotifyCallback>>();
  #client: pg.Client | undefined;
  #connecting: Promise<pg.Client> | undefined;
  #retry: NodeJS.Timeout | undefined;
  #attempt = 0;
  #closed = false;

  constructor(connectionString: string, applicationName: string, logger: Logger | undefined) {
    this.#connectionString = connectionString;
    this.#applicationName = applicationName;
    this.#logger = logger;
  }

  async listen(channel: string, onNotify: NotifyCallback): Promise<() => Promise<void>> {
    assertChannel(channel);
    if (this.#closed) throw new Error('database is closed');
    let callbacks = this.#channels.get(channel);
    if (!callbacks) this.#channels.set(channel, (callbacks = new Set()));
    // A fresh function per call, so listening twice with one callback yields two subscriptions.
    const subscription: NotifyCallback = (payload) => onNotify(payload);
    callbacks.add(subscription);

    try {
      const client = await this.#connection();
      try {
        await client.query(`listen ${channel}`);
      } catch (err) {
        // Lost the connection meanwhile: the reconnect listens to every channel again.
        if (this.#client === client) throw err;
      }
    } catch (err) {
      this.#unsubscribe(channel, subscription);
      throw err;
    }

    let stopped = false;
    return async () => {
      if (stopped) return;
      stopped = true;
      if (!this.#unsubscribe(channel, subscription)) return;
      await this.#client?.query(`unlisten ${channel}`).catch((err: unknown) => {
        this.#logger?.debug({ err, channel }, 'unlisten failed; the connection is gone anyway');
      });
    };
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retry);
    this.#channels.clear();
    const client = this.#client ?? (await this.#connecting?.catch(() => undefined));
    this.#client = undefined;
    await client?.end().catch(() => undefined);
  }

  /** Returns whether that was the channel's last subscription. */
  #unsubscribe(channel: string, subscription: NotifyCallback): boolean {
    const callbacks = this.#channels.get(channel);
    if (!callbacks?.delete(subscription) || callbacks.size > 0) return false;
    this.#channels.delete(channel);
    return true;
  }

  #connection(): Promise<pg.Client> {
    if (this.#client) return Promise.resolve(this.#client);
    this.#connecting ??= this.#connect().finally(() => {
      this.#connecting = undefined;
    });
    return this.#connecting;
  }

  async #connect(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: this.#connectionString, application_name: this.#applicationName });
    client.on('notification', ({ channel, payload }) => {
      for (const callback of this.#channels.get(channel) ?? []) deliver(callback, payload ?? '', channel, this.#logger);
    });
    client.on('error', (err) => {
      this.#logger?.warn({ err }, 'database listen connection failed');
      this.#lost(client);
    });
    client.on('end', () => this.#lost(client));
    try {
      await client.connect();
      for (const channel of this.#channels.keys()) await client.query(`listen ${channel}`);
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
    if (this.#closed) {
      await client.end();
      throw new Error('database is closed');
    }
    this.#client = client;
    this.#attempt = 0;
    return client;
  }

  #lost(client: pg.Client): void {
    if (this.#client !== client) return;
    this.#client = undefined;
    client.end().catch(() => undefined);
    this.#scheduleReconnect();
  }

  #scheduleReconnect(): void {
    if (this.#closed || this.#channels.size === 0 || this.#retry) return;
    const delay = Math.min(RECONNECT_MAX_MS, RECONNECT_FIRST_MS * 2 ** this.#attempt++);
    this.#retry = setTimeout(() => {
      this.#retry = undefined;
      this.#connection().then(
        () => this.#logger?.info('database listen connection restored'),
        (err: unknown) => {
          this.#logger?.warn({ err, retryInMs: delay }, 'database listen reconnect failed');
          this.#scheduleReconnect();
        },
      );
    }, delay);
  }
}

// ---------------------------------------------------------------------------------------------
// PGlite

/**
 * initdb inside WASM takes seconds, so it runs once per process: every new cluster (in memory, or
 * a data directory's first start) is unpacked from a snapshot of that first one, well under a
 * second. gzip keeps the snapshot a few MB instead of ~40 MB for the life of the process.
 */
let freshCluster: Promise<Blob> | undefined;

/**
 * The contrib extensions a migration may `create extension` on PGlite, as it may on PostgreSQL:
 * PGlite only finds an extension's files when the instance was created with it. pg_trgm serves
 * the trigram matching of names in search.
 */
const PGLITE_EXTENSIONS = { pg_trgm };

function snapshotOfFreshCluster(): Promise<Blob> {
  if (!freshCluster) {
    const snapshot = (async () => {
      const template = await PGlite.create();
      try {
        return await template.dumpDataDir('gzip');
      } finally {
        await template.close();
      }
    })();
    freshCluster = snapshot;
    // A failed attempt must not poison every later open.
    snapshot.catch(() => {
      if (freshCluster === snapshot) freshCluster = undefined;
    });
  }
  return freshCluster;
}

async function createPglite(directory: string | undefined): Promise<{ client: PGlite; dataDir: string | undefined }> {
  const dataDir = directory === undefined ? undefined : resolve(directory);
  if (dataDir) await mkdir(dataDir, { recursive: true });
  const initialized = dataDir !== undefined && existsSync(join(dataDir, 'PG_VERSION'));
  const client = await PGlite.create({
    extensions: PGLITE_EXTENSIONS,
    ...(dataDir ? { dataDir } : {}),
    ...(initialized ? {} : { loadDataDir: await snapshotOfFreshCluster() }),
  });
  return { client, dataDir };
}

async function openPglite(options: OpenDatabaseOptions): Promise<Database> {
  const { logger } = options;
  const { client, dataDir } = await createPglite(options.dataDir);
  const db = drizzlePglite({ client }) as unknown as Db;

  let closing: Promise<void> | undefined;
  return {
    kind: 'pglite',
    name: dataDir ?? 'memory://',
    db,
    transaction: <T>(work: (tx: Tx) => Promise<T>) => db.transaction(work),
    listen: async (channel, onNotify) => {
      assertChannel(channel);
      const unlisten = await client.listen(channel, (payload) => deliver(onNotify, payload, channel, logger));
      let stopped = false;
      return async () => {
        if (stopped || client.closed) return;
        stopped = true;
        await unlisten();
      };
    },
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    close: () => {
      closing ??= client.close();
      return closing;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// PGlite shared by several services, a schema each

/**
 * Opens one PGlite instance (a directory on disk, created if missing; in memory when absent) for
 * several services: pass it as `shared` to openDatabase and each service gets its own schema.
 * One instance costs ~200 MB and its first start an initdb, so the embedded platform opens one.
 */
/**
 * Where the embedded platform keeps its one PGlite cluster (a schema per service) under
 * AGORA_DATA_DIR; tools that work on an embedded service's data (identity's key rotation) open
 * it here too. A service run standalone on PGlite keeps its own instance beside it, under its name.
 */
export const embeddedClusterDir = (dataDir: string): string => join(dataDir, 'pglite', 'platform');

export async function openSharedPglite(options: { dataDir?: string } = {}): Promise<SharedPglite> {
  const { client, dataDir } = await createPglite(options.dataDir);
  let closing: Promise<void> | undefined;
  return {
    name: dataDir ?? 'memory://',
    pglite: client,
    close: () => {
      closing ??= client.close();
      return closing;
    },
  };
}

/** The service's schema: its name folded to [a-z0-9_], so it is the same identifier quoted or not. */
function serviceSchemaName(service: string): string {
  if (!service) throw new Error('openDatabase: service must not be empty');
  let name = service.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  if (!/^[a-z_]/.test(name)) name = `_${name}`;
  if (name.length > 63) throw new Error(`schema name "${name}" is longer than PostgreSQL's 63 characters`);
  if (name === 'public' || name === 'information_schema' || name.startsWith('pg_')) throw new Error(`schema name "${name}" is reserved`);
  return name;
}

type QueryOptions = Parameters<PGlite['query']>[2];
type PgliteTx = Parameters<Parameters<PGlite['transaction']>[0]>[0];

/**
 * What drizzle's PGlite driver (query, transaction) and migrate (exec on a transaction) call, with
 * the service's schema first on the search path. PGlite has a single connection that the services
 * take turns on, so a session-wide `set search_path` would leak into a neighbour's statement: each
 * statement runs in a transaction of its own that sets the path with `set local`, and each
 * transaction sets it first thing.
 */
function schemaClient(pglite: PGlite, schema: string, isClosed: () => boolean) {
  const setPath = `set local search_path to "${schema}"`;
  const inSchema = <T>(work: (tx: PgliteTx) => Promise<T>): Promise<T> => {
    if (isClosed()) return Promise.reject(new Error('database is closed'));
    return pglite.transaction(async (tx) => {
      await tx.exec(setPath);
      return work(tx);
    });
  };
  return {
    query: (query: string, params?: unknown[], options?: QueryOptions) => inSchema((tx) => tx.query(query, params, options)),
    exec: (query: string, options?: QueryOptions) => inSchema((tx) => tx.exec(query, options)),
    transaction: <T>(work: (tx: PgliteTx) => Promise<T>) => inSchema(work),
    get closed() {
      return isClosed();
    },
  };
}

async function openPgliteSchema(shared: SharedPglite, options: OpenDatabaseOptions): Promise<Database> {
  const { logger } = options;
  const schema = serviceSchemaName(options.service);
  const { pglite } = shared;
  await pglite.exec(`create schema if not exists "${schema}"`);

  let closing: Promise<void> | undefined;
  const isClosed = () => closing !== undefined || pglite.closed;
  // drizzle only calls query() and transaction() on its client; the facade is enough of a PGlite.
  const db = drizzlePglite({ client: schemaClient(pglite, schema, isClosed) as unknown as PGlite }) as unknown as Db;
  const subscriptions = new Set<() => Promise<void>>();

  return {
    kind: 'pglite',
    name: `${shared.name}#${schema}`,
    db,
    transaction: <T>(work: (tx: Tx) => Promise<T>) => db.transaction(work),
    /**
     * Channels are global to the instance, not per schema: a service hears a NOTIFY on a channel
     * from any service of the instance (the outbox trigger's `outbox` wakes every relay, which
     * then finds its own outbox empty). Notifications are wake-ups, so that costs a query, no more.
     */
    listen: async (channel, onNotify) => {
      assertChannel(channel);
      if (isClosed()) throw new Error('database is closed');
      const unlisten = await pglite.listen(channel, (payload) => deliver(onNotify, payload, channel, logger));
      let stopped = false;
      const stop = async () => {
        if (stopped) return;
        stopped = true;
        subscriptions.delete(stop);
        if (!pglite.closed) await unlisten();
      };
      subscriptions.add(stop);
      return stop;
    },
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    // Stops this service's subscriptions; the instance stays open for the others.
    close: () => {
      closing ??= Promise.all([...subscriptions].map((stop) => stop().catch(() => undefined))).then(() => undefined);
      return closing;
    },
  };
}
