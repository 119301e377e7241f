/**
 * Builds one service in-process for its tests: PGlite in memory (or a fresh PostgreSQL database
 * of its own when `DATABASE_URL` is set), the in-process bus, memory stores (Redis when
 * `REDIS_URL` is set), and an identity stand-in: a real Ed25519 key whose JWKS is served on a
 * loopback port and given to the service as `IDENTITY_URL`, so tokens are verified exactly as in
 * production. Other services appear as the events they would publish (`publish`, `given.user`).
 *
 * Test code only: nothing under src/ outside testing/ imports it.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { LightMyRequestResponse } from 'fastify';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import pg from 'pg';
import { and, eq } from 'drizzle-orm';
import type { Static, TObject } from 'typebox';
import { Value } from 'typebox/value';
import { eventSchemas, type EventData, type EventType } from '@agora/contracts/events';
import { ACCESS_TOKEN_TTL_SECONDS, TOKEN_AUDIENCE, TOKEN_ISSUER, type Role } from '../auth/access-token.ts';
import { createInProcessBus } from '../bus/in-process-bus.ts';
import { createEvent } from '../bus/outbox.ts';
import { processedEvents } from '../bus/outbox.tables.ts';
import type { EventBus, EventEnvelope } from '../bus/types.ts';
import { systemClock, type Clock } from '../clock.ts';
import { loadConfig } from '../config.ts';
import type { Database } from '../db/database.ts';
import { openDatabase } from '../db/open-database.ts';
import type { HttpApp } from '../http/app.ts';
import { createLogger } from '../logger.ts';
import type { ServiceModule } from '../runtime.ts';
import { createMemoryStores } from '../store/memory-stores.ts';
import { openStores } from '../store/open-stores.ts';
import type { Stores } from '../store/types.ts';

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';

export interface RequestOptions {
  /** JSON body; a string or Buffer is sent as it is (set content-type in `headers`). */
  body?: unknown;
  token?: string;
  headers?: Record<string, string>;
}

export interface GivenUser {
  id: string;
  username: string;
  displayName: string;
  roles: Role[];
  accessToken: string;
}

/** Waits until `check` stops throwing, retrying every 20 ms for at most `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 5_000): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (performance.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

export function expectProblem(response: LightMyRequestResponse, status: number, code?: string): void {
  assert.equal(response.statusCode, status, response.body);
  assert.match(String(response.headers['content-type']), /application\/problem\+json/);
  const body = response.json();
  assert.equal(body.status, status);
  if (code !== undefined) assert.equal(body.code, code, response.body);
}

/** Every event of some types that crossed the bus since the log started, checked against the contracts. */
export class EventLog {
  readonly received: EventEnvelope<any>[] = [];

  count(type: EventType, matches: (data: any) => boolean = () => true): number {
    return this.received.filter((event) => event.type === type && matches(event.data)).length;
  }

  /** Waits for an event of `type` whose data matches, and checks its data against the contract. */
  async waitFor(type: EventType, matches: (data: any) => boolean = () => true, timeoutMs = 5_000): Promise<EventEnvelope<any>> {
    return eventually(async () => {
      const found = this.received.find((event) => event.type === type && matches(event.data));
      assert.ok(found, `no ${type} event matching; got ${JSON.stringify(this.received.map((event) => [event.type, event.data]))}`);
      assert.ok(Value.Check(eventSchemas[type], found.data), `${type} data breaks its contract: ${JSON.stringify(found.data)}`);
      return found;
    }, timeoutMs);
  }
}

export interface ServiceUnderTest<C> {
  app: HttpApp;
  config: C;
  bus: EventBus;
  stores: Stores;
  database: Database;
  clock: Clock;
  /** The events the service published (every type it may publish; see `watch`). */
  events: EventLog;
  /** Every response of this harness, so a suite can prove none was a 5xx. */
  answered: { method: string; url: string; status: number }[];
  request(method: Method, url: string, options?: RequestOptions): Promise<LightMyRequestResponse>;
  /** Publishes an event as its producer would, and returns it (publish it again to redeliver). */
  publish<T extends EventType>(type: T, data: EventData<T>, producer?: string): Promise<EventEnvelope<EventData<T>>>;
  /** Publishes an envelope as it is: a redelivery, or an event made with `createEvent`. */
  redeliver(envelope: EventEnvelope<any>): Promise<void>;
  /**
   * Waits until the service has handled the event (its processed_events row is committed), so a
   * check that something did NOT happen afterwards is not a guess.
   */
  handled: (envelope: EventEnvelope<unknown>) => Promise<void>;
  /** Publishes an event as its producer would and waits until the service has handled it. */
  deliver: <T extends EventType>(type: T, data: EventData<T>, producer?: string) => Promise<EventEnvelope<EventData<T>>>;
  /** An access token as identity would sign it. */
  token(user: { id: string; roles?: Role[]; sessionId?: string }): Promise<string>;
  given: {
    /** A user as identity and users announce one (user.registered, profile.updated), with a token. */
    user(options?: { roles?: Role[]; username?: string; displayName?: string }): Promise<GivenUser>;
  };
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** Environment for the service's config, on top of IDENTITY_URL, AGORA_DATA_DIR and LOG_LEVEL. */
  env?: Record<string, string>;
  /** Event types the EventLog records (the service's own publications). */
  watch?: EventType[];
  clock?: Clock;
}

const unique = (): string => randomBytes(5).toString('hex');

/** Starts `module` as its tests see it; see the file header. Always `close()` it. */
export async function startServiceUnderTest<C extends TObject>(
  module: ServiceModule<C>,
  options: HarnessOptions = {},
): Promise<ServiceUnderTest<Static<C>>> {
  const cleanups: (() => Promise<unknown>)[] = [];
  const dispose = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  };
  try {
    const level = process.env['TEST_LOG_LEVEL'] ?? 'silent';
    const clock = options.clock ?? systemClock;
    const bus = createInProcessBus();
    cleanups.push(() => bus.close());
    const stores = process.env['REDIS_URL'] ? openStores({ redisUrl: process.env['REDIS_URL'] }) : createMemoryStores({ clock });
    cleanups.push(() => stores.close());
    const dataDir = await mkdtemp(path.join(tmpdir(), `agora-${module.name}-`));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));

    const issuer = await startIssuer();
    cleanups.push(() => issuer.close());

    const logger = createLogger(module.name, level);
    const database = await openTestDatabase(module.name, cleanups);
    const config: Static<C> = loadConfig(module.configSchema, {
      IDENTITY_URL: issuer.url,
      AGORA_DATA_DIR: dataDir,
      LOG_LEVEL: level,
      ...options.env,
    });
    const app = await module.buildApp({ config, logger, database, bus, stores, clock });
    cleanups.push(() => app.close());
    await app.ready();

    const events = new EventLog();
    if (options.watch && options.watch.length > 0) {
      const subscription = await bus.consume(`${module.name}-test-${unique()}`, options.watch, async ({ envelope }) => {
        events.received.push(envelope);
      });
      cleanups.push(() => subscription.stop());
    }

    const answered: ServiceUnderTest<Static<C>>['answered'] = [];
    const token = (user: { id: string; roles?: Role[]; sessionId?: string }) => issuer.sign(user.id, user.roles ?? ['user'], user.sessionId ?? randomUUID());

    const harness: ServiceUnderTest<Static<C>> = {
      app,
      config,
      bus,
      stores,
      database,
      clock,
      events,
      answered,
      async request(method, url, requestOptions = {}) {
        const headers: Record<string, string> = { ...requestOptions.headers };
        if (requestOptions.token) headers['authorization'] = `Bearer ${requestOptions.token}`;
        const { body } = requestOptions;
        const payload = body === undefined ? {} : typeof body === 'string' || Buffer.isBuffer(body) ? { payload: body } : { payload: body as object };
        const response = await app.inject({ method, url, headers, ...payload });
        answered.push({ method, url, status: response.statusCode });
        return response;
      },
      async publish(type, data, producer = 'test') {
        const envelope = createEvent(type, data, { producer });
        await bus.publish(envelope);
        return envelope;
      },
      async redeliver(envelope) {
        await bus.publish(envelope);
      },
      async handled(envelope) {
        await eventually(async () => {
          const rows = await database.db
            .select({ eventId: processedEvents.eventId })
            .from(processedEvents)
            .where(and(eq(processedEvents.consumer, module.name), eq(processedEvents.eventId, envelope.id)));
          assert.equal(rows.length, 1, `${envelope.type} ${envelope.id} not handled by ${module.name} yet`);
        });
      },
      async deliver(type, data, producer = 'test') {
        const envelope = await harness.publish(type, data, producer);
        await harness.handled(envelope);
        return envelope;
      },
      token,
      given: {
        async user(userOptions = {}) {
          const id = randomUUID();
          const username = userOptions.username ?? `u_${unique()}`;
          const displayName = userOptions.displayName ?? `User ${username}`;
          const roles = userOptions.roles ?? ['user'];
          await harness.publish(
            'user.registered',
            { userId: id, email: `${username}@example.test`, username, displayName, roles, registeredAt: clock.now().toISOString() },
            'identity',
          );
          await harness.publish('profile.updated', { userId: id, username, displayName, bio: '', avatarUrl: null }, 'users');
          return { id, username, displayName, roles, accessToken: await token({ id, roles }) };
        },
      },
      close: dispose,
    };
    return harness;
  } catch (error) {
    await dispose();
    throw error;
  }
}

/** In memory on PGlite; with DATABASE_URL a database of its own, dropped at close. */
async function openTestDatabase(service: string, cleanups: (() => Promise<unknown>)[]): Promise<Database> {
  const url = process.env['DATABASE_URL'];
  if (!url) {
    const database = await openDatabase({ service });
    cleanups.push(() => database.close());
    return database;
  }
  // openDatabase names the database `<db of url>_<service>`: a unique service name gives a fresh one.
  const scoped = `${service}_t${unique()}`;
  const database = await openDatabase({ service: scoped, url, poolSize: 4 });
  const name = `${new URL(url).pathname.slice(1) || 'postgres'}_${scoped}`;
  cleanups.push(async () => {
    await database.close();
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(`drop database if exists "${name}" with (force)`);
    } finally {
      await admin.end();
    }
  });
  return database;
}

/** Identity's signing side, reduced to one key served as JWKS on a loopback port. */
async function startIssuer(): Promise<{ url: string; sign(userId: string, roles: Role[], sessionId: string): Promise<string>; close(): Promise<void> }> {
  const kid = `test-${unique()}`;
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' }] });
  const server: Server = createServer((request, response) => {
    if (request.url === '/.well-known/jwks.json') response.writeHead(200, { 'content-type': 'application/json' }).end(jwks);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    sign: (userId, roles, sessionId) =>
      new SignJWT({ sid: sessionId, roles })
        .setProtectedHeader({ alg: 'EdDSA', kid, typ: 'JWT' })
        .setIssuer(TOKEN_ISSUER)
        .setAudience(TOKEN_AUDIENCE)
        .setSubject(userId)
        .setIssuedAt()
        .setExpirationTime(`${ACCESS_TOKEN_TTL_SECONDS}s`)
        .sign(privateKey),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
