/**
 * Chooses adapters from configuration (a URL set means the real thing) and runs one service
 * as its own process: the body of every `server.ts`.
 */
import path from 'node:path';
import type { Static, TObject } from 'typebox';
import { loadConfig, type CommonConfig } from './config.ts';
import { createLogger, type Logger } from './logger.ts';
import { systemClock } from './clock.ts';
import { openDatabase, type SharedPglite } from './db/open-database.ts';
import { createInProcessBus, createRabbitBus } from './bus/index.ts';
import { openStores } from './store/open-stores.ts';
import type { EventBus } from './bus/types.ts';
import type { Stores } from './store/types.ts';
import type { HttpApp } from './http/app.ts';
import type { ServiceDeps } from './service.ts';
import { closeOnSignals } from './shutdown.ts';
import { tracingFromConfig } from './tracing/tracing.ts';

export interface SharedAdapters {
  bus?: EventBus;
  stores?: Stores;
  /** Without DATABASE_URL: the PGlite instance to take a schema of, instead of opening one. */
  pglite?: SharedPglite;
}

/**
 * Opens the adapters one service needs. In the embedded platform the bus and stores are
 * shared by all services in the process (passed in `shared`), and so is the PGlite instance,
 * in which the service gets a schema of its own; the database is always the service's own.
 */
export async function connectAdapters(service: string, config: CommonConfig, logger: Logger, shared: SharedAdapters = {}) {
  const database = await openDatabase({
    service,
    url: config.DATABASE_URL,
    poolSize: config.DATABASE_POOL_SIZE,
    dataDir: config.DATABASE_URL ? undefined : path.join(config.AGORA_DATA_DIR, 'pglite', service),
    ...(shared.pglite ? { shared: shared.pglite } : {}),
    logger,
  });
  const bus = shared.bus ?? (config.AMQP_URL ? await createRabbitBus({ url: config.AMQP_URL, logger, ...(config.AMQP_NAMESPACE ? { namespace: config.AMQP_NAMESPACE } : {}) }) : createInProcessBus({ logger }));
  const stores = shared.stores ?? openStores({ redisUrl: config.REDIS_URL, logger });
  const owned = { bus: !shared.bus, stores: !shared.stores };
  return {
    database,
    bus,
    stores,
    /** Closes what this call opened, leaving shared adapters to their owner. */
    async close() {
      if (owned.bus) await bus.close();
      if (owned.stores) await stores.close();
      // Only this service's share of a shared PGlite: its owner closes the instance.
      await database.close();
    },
  };
}

export interface ServiceModule<C extends TObject> {
  name: string;
  configSchema: C;
  buildApp(deps: ServiceDeps<Static<C>>): Promise<HttpApp>;
  /** The config key holding the port, `PORT` unless the service says otherwise. */
  port(config: Static<C>): number;
  /**
   * Services this one calls over HTTP besides identity. Each arrives as the setting
   * `<NAME>_URL`, and the embedded platform starts them before this one.
   */
  calls?: string[];
}

/** Runs a service standalone: config, adapters, listen, and a graceful stop on SIGTERM. */
export async function runStandalone<C extends TObject>(module: ServiceModule<C>): Promise<HttpApp> {
  let config: Static<C> & CommonConfig;
  try {
    config = loadConfig(module.configSchema) as Static<C> & CommonConfig;
  } catch (error) {
    process.stderr.write(`${module.name}: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
  const logger = createLogger(module.name, config.LOG_LEVEL);
  try {
    const adapters = await connectAdapters(module.name, config, logger);
    const tracing = tracingFromConfig(module.name, config);
    const app = await module.buildApp({ config, logger, clock: systemClock, tracer: tracing?.tracer, ...adapters });
    await app.listen({ port: module.port(config), host: config.HOST });
    closeOnSignals(
      [
        { name: 'http', close: () => app.close() },
        { name: 'adapters', close: () => adapters.close() },
        // Last, so the spans of the final requests and events are exported too.
        { name: 'tracing', close: async () => tracing?.shutdown() },
      ],
      logger,
      config.SHUTDOWN_TIMEOUT_MS,
    );
    return app;
  } catch (error) {
    // A supervisor (the platform launcher, Kubernetes) restarts the process; say why it stopped.
    logger.fatal({ err: error }, 'failed to start');
    process.exit(1);
  }
}
