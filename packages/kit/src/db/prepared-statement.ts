/**
 * Statements on the hot path, built once per connection instead of on every call. Building a
 * drizzle query (walking the builder, naming and escaping, mapping each value) costs more than
 * the client side of running it, and each call of a plain statement also has PostgreSQL parse
 * and plan it again. A prepared statement is built on first use on a connection and kept for that
 * connection, where node-postgres runs it as a named server-side prepared statement: parsed once,
 * planned generically once the plan cache finds that good enough.
 *
 * The statement is kept per connection, not per database handle, because each transaction is a
 * new handle over one of the pool's few connections: keyed by the connection, a statement used
 * inside transactions is built as many times as the pool has connections. PGlite hands every
 * transaction a connection object of its own, so there it is built per transaction, as before.
 *
 * Values are passed by name (`sql.placeholder('id')` in the builder).
 */
import { sql, type Placeholder } from 'drizzle-orm';
import type { Queryable } from './database.ts';

interface Executable<R> {
  execute(values?: Record<string, unknown>): Promise<R>;
}

/** The connection a handle runs on: drizzle's session client (a pool, a pool's client, PGlite). */
function connectionOf(q: Queryable): object {
  return (q._.session as unknown as { client: object }).client;
}

/** Names in use: a server-side name must mean one text on a connection. */
const names = new Set<string>();

export function preparedStatement<R>(name: string, build: (q: Queryable) => { prepare(name: string): Executable<R> }): (q: Queryable, values: object) => Promise<R> {
  if (names.has(name)) throw new Error(`two prepared statements are named ${name}`);
  names.add(name);
  const byConnection = new WeakMap<object, Executable<R>>();
  return (q, values) => {
    const connection = connectionOf(q);
    let statement = byConnection.get(connection);
    if (!statement) byConnection.set(connection, (statement = build(q).prepare(name)));
    return statement.execute(values as Record<string, unknown>);
  };
}

/** `{ id: sql.placeholder('id'), … }`: the values of an insert or update, each passed by name. */
export function placeholders<K extends string>(...names: K[]): Record<K, Placeholder<K>> {
  return Object.fromEntries(names.map((name) => [name, sql.placeholder(name)])) as Record<K, Placeholder<K>>;
}
