/**
 * Builds the users service in-process for a test: PGlite in memory, the in-process bus and
 * memory stores. Access tokens come from the real identity service, built on the same bus and
 * stores and listening on a loopback port whose JWKS the users service verifies against; its
 * user.registered and user.deleted events feed the users service exactly as in production.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { LightMyRequestResponse } from 'fastify';
import { Value } from 'typebox/value';
import { eventSchemas, type EventData, type EventType } from '@agora/contracts/events';
import { createEvent } from '@agora/kit/bus/outbox';
import { createInProcessBus } from '@agora/kit/bus/in-process-bus';
import type { EventBus, EventEnvelope, Subscription } from '@agora/kit/bus/types';
import { systemClock } from '@agora/kit/clock';
import { loadConfig } from '@agora/kit/config';
import { openDatabase } from '@agora/kit/db/open-database';
import type { HttpApp } from '@agora/kit/http/app';
import { createLogger } from '@agora/kit/logger';
import { createMemoryStores } from '@agora/kit/store/memory-stores';
import { buildApp as buildIdentity } from '@agora/identity';
import { IdentityConfig } from '@agora/identity/config';
import { buildApp } from '../../src/app.ts';
import { UsersConfig } from '../../src/config.ts';

export const USERS = '/api/v1/users';
export const AUTH = '/api/v1/auth';

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';

export interface GivenUser {
  id: string;
  username: string;
  password: string;
  accessToken: string;
}

/** Every users-service response of this test process, so a suite can prove none was a 5xx. */
export const answered: { method: string; url: string; status: number }[] = [];

const unique = (): string => randomBytes(5).toString('hex');

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

export class EventLog {
  readonly received: EventEnvelope[] = [];
  subscription: Subscription | undefined;

  static async on(bus: EventBus, queue: string, types: string[]): Promise<EventLog> {
    const log = new EventLog();
    log.subscription = await bus.consume(queue, types, async ({ envelope }) => {
      log.received.push(envelope);
    });
    return log;
  }

  count(type: EventType, matches: (data: any) => boolean = () => true): number {
    return this.received.filter((event) => event.type === type && matches(event.data)).length;
  }

  /** Waits for an event of `type` whose data matches; checks it against the contract schema. */
  async waitFor(type: EventType, matches: (data: any) => boolean): Promise<EventEnvelope<any>> {
    return eventually(async () => {
      const found = this.received.find((event) => event.type === type && matches(event.data));
      assert.ok(found, `no ${type} event matching; got ${JSON.stringify(this.received.map((e) => [e.type, e.data]))}`);
      assert.ok(Value.Check(eventSchemas[type], found.data), `${type} data breaks its contract: ${JSON.stringify(found.data)}`);
      assert.equal(found.producer, 'users');
      return found;
    });
  }
}

export interface TestUsers {
  app: HttpApp;
  bus: EventBus;
  events: EventLog;
  request(method: Method, url: string, options?: { body?: unknown; token?: string; headers?: Record<string, string> }): Promise<LightMyRequestResponse>;
  identity(method: Method, url: string, options?: { body?: unknown; token?: string }): Promise<LightMyRequestResponse>;
  /** Publishes an event as its producer would (for the services not built yet, and for redelivery). */
  publish<T extends EventType>(type: T, data: EventData<T>, producer?: string): Promise<EventEnvelope<EventData<T>>>;
  given: {
    /** Registers through identity and waits until user.registered has made the profile. */
    user(overrides?: { displayName?: string }): Promise<GivenUser>;
  };
  profile(id: string): Promise<any>;
  close(): Promise<void>;
}

export async function startUsers(): Promise<TestUsers> {
  const cleanups: (() => Promise<void>)[] = [];
  const dispose = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  };
  try {
    const level = process.env['TEST_LOG_LEVEL'] ?? 'silent';
    const bus = createInProcessBus();
    cleanups.push(() => bus.close());
    const stores = createMemoryStores({ clock: systemClock });
    cleanups.push(() => stores.close());
    const dataDir = await mkdtemp(path.join(tmpdir(), 'agora-users-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));

    const identityLogger = createLogger('identity', level);
    const identityDb = await openDatabase({ service: 'identity', logger: identityLogger });
    cleanups.push(() => identityDb.close());
    const identityConfig = loadConfig(IdentityConfig, { AGORA_DATA_DIR: dataDir, LOG_LEVEL: level });
    const identity = await buildIdentity({ config: identityConfig, logger: identityLogger, database: identityDb, bus, stores, clock: systemClock });
    cleanups.push(() => identity.close());
    await identity.listen({ port: 0, host: '127.0.0.1' });
    const identityUrl = `http://127.0.0.1:${(identity.server.address() as AddressInfo).port}`;

    const logger = createLogger('users', level);
    const database = await openDatabase({ service: 'users', logger });
    cleanups.push(() => database.close());
    const config = loadConfig(UsersConfig, { IDENTITY_URL: identityUrl, AGORA_DATA_DIR: dataDir, LOG_LEVEL: level });
    const app = await buildApp({ config, logger, database, bus, stores, clock: systemClock });
    cleanups.push(() => app.close());
    await app.ready();

    const events = await EventLog.on(bus, `users-test-${unique()}`, ['profile.updated', 'user.followed', 'user.unfollowed']);
    cleanups.push(async () => events.subscription?.stop());

    const headersFor = (token?: string, extra: Record<string, string> = {}) => ({ ...extra, ...(token ? { authorization: `Bearer ${token}` } : {}) });

    const users: TestUsers = {
      app,
      bus,
      events,
      async request(method, url, options = {}) {
        const response = await app.inject({
          method,
          url,
          headers: headersFor(options.token, options.headers),
          ...(options.body === undefined ? {} : { payload: options.body as object }),
        });
        answered.push({ method, url, status: response.statusCode });
        return response;
      },
      identity(method, url, options = {}) {
        return identity.inject({ method, url, headers: headersFor(options.token), ...(options.body === undefined ? {} : { payload: options.body as object }) });
      },
      async publish(type, data, producer = 'test') {
        const envelope = createEvent(type, data, { producer });
        await bus.publish(envelope);
        return envelope;
      },
      given: {
        async user(overrides = {}) {
          const username = `u_${unique()}`;
          const password = `pw-${randomBytes(9).toString('base64url')}`;
          const body = { email: `${username}@example.test`, username, password, ...overrides };
          const response = await users.identity('POST', `${AUTH}/register`, { body });
          assert.equal(response.statusCode, 201, response.body);
          const session = response.json();
          await users.profile(session.user.id);
          return { id: session.user.id, username, password, accessToken: session.accessToken };
        },
      },
      async profile(id) {
        return eventually(async () => {
          const response = await users.request('GET', `${USERS}/${id}`);
          assert.equal(response.statusCode, 200, response.body);
          return response.json();
        });
      },
      close: dispose,
    };
    return users;
  } catch (error) {
    await dispose();
    throw error;
  }
}

export function expectProblem(response: LightMyRequestResponse, status: number, code: string): void {
  assert.equal(response.statusCode, status, response.body);
  assert.match(String(response.headers['content-type']), /application\/problem\+json/);
  assert.equal(response.json().code, code, response.body);
}
