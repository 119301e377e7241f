/**
 * Builds identity in-process for a test: PGlite in memory, the in-process bus and memory stores
 * on a ManualClock (or PostgreSQL, RabbitMQ and Redis when asked), and talks HTTP to it with
 * `inject`. Every response body is kept so a suite can prove no password or hash ever left.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { Value } from 'typebox/value';
import type { LightMyRequestResponse } from 'fastify';
import { eventSchemas, type EventType } from '@agora/contracts/events';
import { ManualClock, type Clock } from '@agora/kit/clock';
import { loadConfig } from '@agora/kit/config';
import { openDatabase } from '@agora/kit/db/open-database';
import type { Database } from '@agora/kit/db/database';
import { createInProcessBus } from '@agora/kit/bus/in-process-bus';
import { createRabbitBus } from '@agora/kit/bus/rabbitmq-bus';
import type { EventBus, EventEnvelope, Subscription } from '@agora/kit/bus/types';
import type { HttpApp } from '@agora/kit/http/app';
import { createLogger } from '@agora/kit/logger';
import { createMemoryStores } from '@agora/kit/store/memory-stores';
import { createRedisStores } from '@agora/kit/store/redis-stores';
import type { Stores } from '@agora/kit/store/types';
import { buildApp } from '../../src/app.ts';
import { IdentityConfig } from '../../src/config.ts';
import { updateRoles } from '../../src/db/users.repository.ts';

export const AUTH = '/api/v1/auth';

/** Every response body any identity of this test process answered, and every password handed out. */
const answered: string[] = [];
const passwords = new Set<string>();

export function rememberPassword(password: string): string {
  passwords.add(password);
  return password;
}

export function assertNoSecretsAnswered(): void {
  assert.ok(answered.length > 0, 'no responses were recorded');
  assert.ok(passwords.size > 0, 'no passwords were recorded');
  for (const body of answered) {
    assert.ok(!body.includes('$argon2'), `a response carried a password hash: ${body.slice(0, 200)}`);
    for (const password of passwords) assert.ok(!body.includes(password), `a response carried a password: ${body.slice(0, 200)}`);
  }
}

const unique = (): string => randomBytes(5).toString('hex');

export interface Distributed {
  databaseUrl: string;
  amqpUrl: string;
  redisUrl: string;
}

export const distributedFromEnv = (): Distributed | null => {
  const { DATABASE_URL, AMQP_URL, REDIS_URL } = process.env;
  return DATABASE_URL && AMQP_URL && REDIS_URL ? { databaseUrl: DATABASE_URL, amqpUrl: AMQP_URL, redisUrl: REDIS_URL } : null;
};

export interface StartOptions {
  env?: Record<string, string | undefined>;
  /** Reuse a database (and its data) across identities in one test file; left open on close. */
  database?: Database;
  bus?: EventBus;
  events?: EventLog;
  clock?: ManualClock;
  distributed?: Distributed;
}

export interface RequestOptions {
  body?: unknown;
  token?: string;
  /** The client address as the gateway forwards it. */
  ip?: string;
  headers?: Record<string, string>;
}

export interface GivenUser {
  id: string;
  email: string;
  username: string;
  password: string;
  accessToken: string;
  refreshToken: string;
}

export class EventLog {
  readonly received: EventEnvelope[] = [];
  subscription: Subscription | undefined;

  static async on(bus: EventBus, queue: string): Promise<EventLog> {
    const log = new EventLog();
    log.subscription = await bus.consume(queue, Object.keys(eventSchemas), async ({ envelope }) => {
      log.received.push(envelope);
    });
    return log;
  }

  /** Waits for an event of `type` whose data matches; checks it against the contract schema. */
  async waitFor<T extends EventType>(type: T, matches: (data: any) => boolean, timeoutMs = 5_000): Promise<EventEnvelope<any>> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const found = this.received.find((event) => event.type === type && matches(event.data));
      if (found) {
        assert.ok(Value.Check(eventSchemas[type], found.data), `${type} data breaks its contract: ${JSON.stringify(found.data)}`);
        assert.equal(found.producer, 'identity');
        return found;
      }
      if (performance.now() > deadline) assert.fail(`no ${type} event matching within ${timeoutMs} ms; got ${JSON.stringify(this.received.map((e) => [e.type, e.data]))}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  count(type: EventType, matches: (data: any) => boolean): number {
    return this.received.filter((event) => event.type === type && matches(event.data)).length;
  }
}

export class TestIdentity {
  readonly app: HttpApp;
  readonly database: Database;
  readonly bus: EventBus;
  readonly stores: Stores;
  readonly clock: Clock;
  readonly dataDir: string;
  readonly events: EventLog;
  readonly #dispose: () => Promise<void>;
  #users = 0;

  constructor(parts: {
    app: HttpApp;
    database: Database;
    bus: EventBus;
    stores: Stores;
    clock: Clock;
    dataDir: string;
    events: EventLog;
    dispose: () => Promise<void>;
  }) {
    this.app = parts.app;
    this.database = parts.database;
    this.bus = parts.bus;
    this.stores = parts.stores;
    this.clock = parts.clock;
    this.dataDir = parts.dataDir;
    this.events = parts.events;
    this.#dispose = parts.dispose;
  }

  async request(method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH', url: string, options: RequestOptions = {}): Promise<LightMyRequestResponse> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token !== undefined) headers['authorization'] = `Bearer ${options.token}`;
    if (options.ip !== undefined) headers['x-forwarded-for'] = options.ip;
    const response = await this.app.inject({
      method,
      url,
      headers,
      ...(options.body === undefined ? {} : { payload: options.body as object }),
    });
    answered.push(response.body);
    return response;
  }

  login(email: string, password: string, ip?: string): Promise<LightMyRequestResponse> {
    return this.request('POST', `${AUTH}/login`, { body: { email, password }, ...(ip ? { ip } : {}) });
  }

  readonly given = {
    user: async (overrides: { email?: string; username?: string; password?: string; displayName?: string } = {}): Promise<GivenUser> => {
      const n = `${unique()}${++this.#users}`;
      const email = overrides.email ?? `user-${n}@example.test`;
      const username = overrides.username ?? `u_${n}`;
      const password = rememberPassword(overrides.password ?? `pw-${randomBytes(9).toString('base64url')}`);
      const body = { email, username, password, ...(overrides.displayName ? { displayName: overrides.displayName } : {}) };
      const response = await this.request('POST', `${AUTH}/register`, { body });
      assert.equal(response.statusCode, 201, response.body);
      const session = response.json();
      return { id: session.user.id, email: session.user.email, username, password, accessToken: session.accessToken, refreshToken: session.refreshToken };
    },
    /** A user made admin in the database, signed in again so the token carries the role. */
    admin: async (): Promise<GivenUser> => {
      const user = await this.given.user();
      await updateRoles(this.database.db, user.id, ['user', 'admin'], new Date());
      const response = await this.login(user.email, user.password);
      assert.equal(response.statusCode, 200, response.body);
      return { ...user, accessToken: response.json().accessToken, refreshToken: response.json().refreshToken };
    },
  };

  /** The text bodies of the .eml files written for `to`, oldest first (waits for at least `atLeast`). */
  async mailbox(to: string, atLeast = 1, timeoutMs = 5_000): Promise<string[]> {
    const dir = path.join(this.dataDir, 'mailbox');
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const files = (await readdir(dir).catch(() => [] as string[])).filter((file) => file.endsWith('.eml')).sort();
      const mails = (await Promise.all(files.map((file) => readFile(path.join(dir, file), 'utf8')))).map(parseMail).filter((mail) => mail.to === to);
      if (mails.length >= atLeast) return mails.map((mail) => mail.text);
      if (performance.now() > deadline) assert.fail(`expected ${atLeast} mail(s) to ${to}, found ${mails.length}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async close(): Promise<void> {
    await this.#dispose();
  }
}

/** Just enough of RFC 5322 / MIME for our single-part text mails: the To header and the decoded body. */
export function parseMail(raw: string): { to: string; subject: string; text: string } {
  const normalized = raw.replace(/\r\n/g, '\n');
  const split = normalized.indexOf('\n\n');
  const head = normalized.slice(0, split).replace(/\n[ \t]+/g, ' ');
  const body = normalized.slice(split + 2);
  const header = (name: string): string => new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(head)?.[1]?.trim() ?? '';
  const encoding = header('Content-Transfer-Encoding').toLowerCase();
  let text = body;
  if (encoding === 'quoted-printable') {
    text = Buffer.from(
      body.replace(/=\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
      'latin1',
    ).toString('utf8');
  } else if (encoding === 'base64') {
    text = Buffer.from(body, 'base64').toString('utf8');
  }
  const to = header('To').replace(/^.*<([^>]+)>.*$/, '$1');
  return { to, subject: header('Subject'), text };
}

export const resetTokenIn = (text: string): string => {
  const match = /\/reset-password\?token=([A-Za-z0-9_-]+)/.exec(text);
  assert.ok(match, `no reset link in: ${text}`);
  return match[1]!;
};

export async function startIdentity(options: StartOptions = {}): Promise<TestIdentity> {
  const cleanups: (() => Promise<void>)[] = [];
  const dataDir = await mkdtemp(path.join(tmpdir(), 'agora-identity-'));
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  const logger = createLogger('identity', process.env['TEST_LOG_LEVEL'] ?? 'silent');
  const run = unique();
  const distributed = options.distributed;
  const clock: Clock = distributed ? { now: () => new Date() } : (options.clock ?? new ManualClock());

  try {
    let database = options.database;
    if (!database) {
      const service = distributed ? `identity_test_${run}` : 'identity';
      const opened = await openDatabase({ service, ...(distributed ? { url: distributed.databaseUrl } : {}), logger });
      database = opened;
      cleanups.push(async () => {
        await opened.close();
        if (distributed) await dropDatabase(distributed.databaseUrl, opened.name);
      });
    }

    let bus = options.bus;
    const exchange = `agora.test.identity.${run}`;
    const queue = `identity-test-${run}`;
    if (!bus) {
      const created = distributed ? await createRabbitBus({ url: distributed.amqpUrl, exchange, logger }) : createInProcessBus({ logger });
      bus = created;
      cleanups.push(async () => {
        await created.close();
        if (distributed) await deleteRabbitTopology(distributed.amqpUrl, exchange, queue);
      });
    }
    const events = options.events ?? (await EventLog.on(bus, queue));
    if (!options.events) cleanups.push(async () => events.subscription?.stop());

    const stores = distributed
      ? createRedisStores({ url: distributed.redisUrl, keyPrefix: `agora-test:identity:${run}:`, logger })
      : createMemoryStores({ clock });
    cleanups.push(() => stores.close());

    const env = { AGORA_DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...options.env };
    const config = loadConfig(IdentityConfig, env);
    const app = await buildApp({ config, logger, database, bus, stores, clock });
    cleanups.push(() => app.close());
    // As listen() would: starts the outbox relay, so events written at start are published too.
    await app.ready();

    return new TestIdentity({
      app,
      database,
      bus,
      stores,
      clock,
      dataDir,
      events,
      dispose: async () => {
        for (const cleanup of cleanups.reverse()) await cleanup();
      },
    });
  } catch (error) {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    throw error;
  }
}

/** The per-run database on the server is removed with everything in it. */
async function dropDatabase(url: string, name: string): Promise<void> {
  const { default: pg } = await import('pg');
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`drop database if exists "${name}" with (force)`);
  } finally {
    await admin.end();
  }
}

/** The per-run exchange and queues (with the kit's retry and dead-letter queues) are deleted. */
async function deleteRabbitTopology(url: string, exchange: string, queue: string): Promise<void> {
  const amqp = await import('amqplib');
  const connection = await amqp.connect(url);
  try {
    const channel = await connection.createChannel();
    for (const name of [queue, `${queue}.dlq`, ...[1_000, 5_000, 30_000].map((ms) => `${queue}.retry.${ms}`)]) await channel.deleteQueue(name);
    await channel.deleteExchange(exchange);
    await channel.close();
  } finally {
    await connection.close();
  }
}

export { randomUUID };
