/**
 * What every service is built from: its adapters (database, bus, stores) handed in by whoever
 * runs it, and `createServiceApp`, which prepares the database, wires the outbox relay and the
 * event consumers into the HTTP app's lifecycle, and adds readiness checks for each adapter.
 * A service's `buildApp` calls it and adds routes; tests call `buildApp` with embedded adapters.
 */
import type { JWTVerifyGetKey } from 'jose';
import { Histogram } from 'prom-client';
import type { TSchema } from 'typebox';
import type { Logger } from './logger.ts';
import type { Clock } from './clock.ts';
import type { Database, Tx } from './db/database.ts';
import type { EventBus, EventEnvelope } from './bus/types.ts';
import type { Stores } from './store/types.ts';
import type { Tracer } from './tracing/tracing.ts';
import { migrate } from './db/migrate.ts';
import { busMigrations, consumeEvents, createOutboxRelay } from './bus/index.ts';
import { createRevocationList } from './store/revocation.ts';
import { createAccessTokenVerifier, type AccessTokenVerifier } from './auth/access-token.ts';
import { createHttpApp, type HttpApp, type HttpAppOptions } from './http/app.ts';
import type { ReadinessCheck } from './http/health.ts';
import { registerAuthentication } from './http/auth.ts';

export interface ServiceDeps<C = unknown> {
  config: C;
  logger: Logger;
  database: Database;
  bus: EventBus;
  stores: Stores;
  clock: Clock;
  /** Set when traces are exported (../tracing/tracing.ts); spans are made only then. */
  tracer?: Tracer | undefined;
}

export type EventHandler = (event: EventEnvelope<any>, tx: Tx) => Promise<void>;

export interface ServiceAppOptions extends Pick<HttpAppOptions, 'bodyLimit' | 'openapi' | 'trustProxy'> {
  service: string;
  /** The service's own `*.sql` migrations, applied after the kit's outbox tables. */
  migrationsDir: string;
  /** Where access-token signing keys come from; omit for a service without authenticated routes. */
  keys?: JWTVerifyGetKey;
  consumers?: {
    handlers: Record<string, EventHandler>;
    schemas?: Record<string, TSchema>;
    retryDelaysMs?: number[];
  };
  /** Dependencies of the service's own that /health/ready checks too (media's storage). */
  readiness?: Record<string, ReadinessCheck>;
}

/** What a consumer file of a service exports: its handlers and the schemas of their events. */
export interface ConsumerGroup {
  handlers: Record<string, EventHandler>;
  schemas?: Record<string, TSchema>;
}

/**
 * A service's consumer files as one `consumers` option. Two files handling the same event type
 * is a wiring mistake (one would silently replace the other), so it fails at start.
 */
export function consumerGroups(...groups: ConsumerGroup[]): { handlers: Record<string, EventHandler>; schemas: Record<string, TSchema> } {
  const handlers: Record<string, EventHandler> = {};
  const schemas: Record<string, TSchema> = {};
  for (const group of groups) {
    for (const [type, handler] of Object.entries(group.handlers)) {
      if (handlers[type]) throw new Error(`two consumer groups handle ${type}`);
      handlers[type] = handler;
    }
    Object.assign(schemas, group.schemas);
  }
  return { handlers, schemas };
}

export interface ServiceApp {
  app: HttpApp;
  verifier: AccessTokenVerifier | null;
}

export async function createServiceApp(deps: ServiceDeps, options: ServiceAppOptions): Promise<ServiceApp> {
  const { database, bus, stores, logger } = deps;
  await migrate(database, busMigrations);
  await migrate(database, { namespace: options.service, dir: options.migrationsDir });

  const app = await createHttpApp({
    service: options.service,
    logger,
    bodyLimit: options.bodyLimit,
    openapi: options.openapi,
    // Services sit behind the gateway: believe X-Forwarded-For only from loopback and private hops.
    trustProxy: options.trustProxy ?? ['loopback', 'linklocal', 'uniquelocal'],
    tracer: deps.tracer,
    readiness: {
      database: () => database.ping(),
      bus: async () => {
        if (!(await bus.isReady())) throw new Error('broker not connected');
      },
      stores: () => stores.ping(),
      ...options.readiness,
    },
  });

  const relay = createOutboxRelay({ database, bus, logger, tracer: deps.tracer });
  app.metrics.gauge('outbox_backlog', 'Events written to the outbox and not yet published', () => relay.backlog());
  app.metrics.gauge('dead_letters', 'Messages parked in this service\'s dead-letter queue', () => bus.deadLetters.count(options.service));
  // How far behind its producers this service is: from an event's occurredAt to its handling here.
  const consumerLag = new Histogram({
    name: 'event_consumer_lag_seconds',
    help: 'Time from when an event occurred to when this service had handled it, by event type',
    labelNames: ['type'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60, 300],
    registers: [app.metrics.registry],
  });

  let verifier: AccessTokenVerifier | null = null;
  if (options.keys) {
    verifier = createAccessTokenVerifier({ keys: options.keys, revocations: createRevocationList(stores.kv), clock: deps.clock });
    registerAuthentication(app, verifier);
  }

  let stopConsuming: (() => Promise<void>) | undefined;
  app.addHook('onReady', async () => {
    relay.start();
    if (options.consumers) {
      const subscription = await consumeEvents({
        consumer: options.service,
        database,
        bus,
        logger,
        handlers: options.consumers.handlers,
        schemas: options.consumers.schemas,
        retryDelaysMs: options.consumers.retryDelaysMs,
        tracer: deps.tracer,
        onHandled: (envelope) => consumerLag.observe({ type: envelope.type }, Math.max(0, deps.clock.now().getTime() - Date.parse(envelope.occurredAt)) / 1000),
      });
      stopConsuming = () => subscription.stop();
    }
  });
  // onClose runs after in-flight requests finished: stop taking events, then flush the relay.
  app.addHook('onClose', async () => {
    await stopConsuming?.();
    await relay.stop();
  });

  return { app, verifier };
}
