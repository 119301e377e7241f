/**
 * Runs the gateway as its own process: configuration, stores (Redis when REDIS_URL is set),
 * bus (RabbitMQ when AMQP_URL is set), listen, and a graceful stop on SIGTERM/SIGINT. The same
 * shape as the kit's runStandalone, without a database: the gateway has none.
 */
import { createLogger } from '@agora/kit/logger';
import { systemClock } from '@agora/kit/clock';
import { createInProcessBus, createRabbitBus } from '@agora/kit/bus/index';
import { openStores } from '@agora/kit/store/open-stores';
import { closeOnSignals } from '@agora/kit/shutdown';
import { ConfigError } from '@agora/kit/config';
import { tracingFromConfig } from '@agora/kit/tracing/tracing';
import { loadGatewaySettings } from './config.ts';
import { buildApp } from './app.ts';

async function main(): Promise<void> {
  let settings;
  try {
    settings = loadGatewaySettings();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`gateway: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const { config, upstreams } = settings;
  const logger = createLogger('gateway', config.LOG_LEVEL);
  const stores = openStores({ redisUrl: config.REDIS_URL, logger });
  const bus = config.AMQP_URL ? await createRabbitBus({ url: config.AMQP_URL, logger, ...(config.AMQP_NAMESPACE ? { namespace: config.AMQP_NAMESPACE } : {}) }) : createInProcessBus({ logger });
  const tracing = tracingFromConfig('gateway', config);
  const app = await buildApp({ config, logger, stores, bus, clock: systemClock, upstreams, tracer: tracing?.tracer });
  await app.listen({ port: config.PORT, host: config.HOST });
  closeOnSignals(
    [
      // HTTP first: no new requests, in-flight ones (streams included) finish or are cut at the timeout.
      { name: 'http', close: () => app.close() },
      { name: 'bus', close: () => bus.close() },
      { name: 'stores', close: () => stores.close() },
      { name: 'tracing', close: async () => tracing?.shutdown() },
    ],
    logger,
    config.SHUTDOWN_TIMEOUT_MS,
  );
}

await main();
