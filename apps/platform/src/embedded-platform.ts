/**
 * Builds every service in this process on embedded adapters and puts the gateway in front.
 * Services listen on ephemeral loopback ports so the gateway proxies to them exactly as it does
 * to separate processes; only the adapters differ. Also used by the end-to-end tests.
 */
import path from 'node:path';
import { createServer, type AddressInfo } from 'node:net';
import { loadConfig, CommonConfig } from '@agora/kit/config';
import { createLogger, type Logger } from '@agora/kit/logger';
import { systemClock, type Clock } from '@agora/kit/clock';
import { connectAdapters } from '@agora/kit/runtime';
import { embeddedClusterDir, openSharedPglite, type SharedPglite } from '@agora/kit/db/open-database';
import { createInProcessBus } from '@agora/kit/bus/in-process-bus';
import { createMemoryStores } from '@agora/kit/store/memory-stores';
import { closeAll, type Closeable } from '@agora/kit/shutdown';
import { tracingFromConfig, type Tracing } from '@agora/kit/tracing/tracing';
import type { HttpApp } from '@agora/kit/http/app';
import type { ServiceModule } from '@agora/kit/runtime';
import type { TObject } from 'typebox';
import { buildApp as buildGateway } from '@agora/gateway/app';
import { GatewayConfig } from '@agora/gateway/config';
import { serviceModules } from './service-modules.ts';

export interface EmbeddedPlatformOptions {
  env?: Record<string, string | undefined>;
  /** Overrides PORT; 0 picks a free port (tests). */
  port?: number;
  clock?: Clock;
}

export interface EmbeddedPlatform {
  port: number;
  url: string;
  dataDir: string;
  logger: Logger;
  services: Record<string, { app: HttpApp; url: string }>;
  close(): Promise<void>;
}

const listenUrl = (app: HttpApp): string => `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

export async function startEmbeddedPlatform(options: EmbeddedPlatformOptions = {}): Promise<EmbeddedPlatform> {
  const env = { ...(options.env ?? process.env) };
  // The embedded platform is the no-dependencies mode: it never picks up the distributed URLs.
  delete env['DATABASE_URL'];
  delete env['AMQP_URL'];
  delete env['REDIS_URL'];
  // …and keeps media on local files (DESIGN.md's table), however the shell is set.
  for (const key of Object.keys(env)) if (key.startsWith('S3_')) delete env[key];
  const common = loadConfig(CommonConfig, env);
  const gatewayConfig = loadConfig(GatewayConfig, env);
  // Services build public links (media URLs, mail) from AGORA_PUBLIC_URL, so the gateway's port
  // must be known before they start: a free one is picked now when asked for any.
  const requestedPort = options.port ?? gatewayConfig.PORT;
  const gatewayPort = requestedPort === 0 ? await freePort(gatewayConfig.HOST) : requestedPort;
  env['AGORA_PUBLIC_URL'] ??= `http://localhost:${gatewayPort}`;
  const logger = createLogger('platform', common.LOG_LEVEL);
  const clock = options.clock ?? systemClock;
  const bus = createInProcessBus({ logger });
  const stores = createMemoryStores({ clock });
  // One PGlite instance for every service, a schema each: an instance costs ~200 MB.
  let pglite: SharedPglite | undefined;
  // Closed in this order: the gateway, then the services' apps, then what they run on, the
  // shared PGlite last.
  const apps: Closeable[] = [];
  const adapterClosers: Closeable[] = [];
  // Each service traces as itself, through the one process's context propagation.
  const tracings: Tracing[] = [];
  const tracerFor = (service: string) => {
    const tracing = tracingFromConfig(service, common);
    if (tracing) tracings.push(tracing);
    return tracing?.tracer;
  };
  const closeEverything = () =>
    closeAll(
      [
        ...apps,
        ...adapterClosers,
        { name: 'bus', close: () => bus.close() },
        { name: 'stores', close: () => stores.close() },
        { name: 'pglite', close: async () => pglite?.close() },
        { name: 'tracing', close: async () => void (await Promise.all(tracings.map((tracing) => tracing.shutdown()))) },
      ],
      logger,
    );
  const services: EmbeddedPlatform['services'] = {};

  type Adapters = Awaited<ReturnType<typeof connectAdapters>>;
  const startService = async (module: ServiceModule<TObject>, adapters: Adapters, serviceEnv: Record<string, string | undefined>) => {
    const config = loadConfig(module.configSchema, serviceEnv);
    const app = await module.buildApp({ config, logger: createLogger(module.name, common.LOG_LEVEL), clock, tracer: tracerFor(module.name), ...adapters });
    await app.listen({ port: 0, host: '127.0.0.1' });
    services[module.name] = { app, url: listenUrl(app) };
    apps.push({ name: module.name, close: () => app.close() });
  };

  try {
    pglite = await openSharedPglite({ dataDir: embeddedClusterDir(common.AGORA_DATA_DIR) });
    const shared = { bus, stores, pglite };
    const opened = await Promise.all(
      serviceModules.map(async (module) => {
        const adapters = await connectAdapters(module.name, common, createLogger(module.name, common.LOG_LEVEL), shared);
        adapterClosers.push({ name: `${module.name} adapters`, close: () => adapters.close() });
        return { module, adapters };
      }),
    );
    const identity = opened.find(({ module }) => module.name === 'identity')!;
    const others = opened.filter((entry) => entry !== identity);
    await startService(identity.module, identity.adapters, env);
    // Ports are picked at listen time, so the others learn identity's (for its JWKS) only now.
    const othersEnv = { ...env, IDENTITY_URL: services['identity']!.url };
    // In waves: a service that calls others starts once they listen, and is told where.
    let waiting = others;
    while (waiting.length > 0) {
      const ready = waiting.filter(({ module }) => (module.calls ?? []).every((name) => services[name]));
      if (ready.length === 0) throw new Error(`services wait on each other: ${waiting.map(({ module }) => module.name).join(', ')}`);
      await Promise.all(
        ready.map(({ module, adapters }) =>
          startService(module, adapters, {
            ...othersEnv,
            ...Object.fromEntries((module.calls ?? []).map((name) => [`${name.toUpperCase()}_URL`, services[name]!.url])),
          }),
        ),
      );
      waiting = waiting.filter((entry) => !ready.includes(entry));
    }

    const gateway = await buildGateway({
      config: gatewayConfig,
      logger: createLogger('gateway', common.LOG_LEVEL),
      stores,
      bus,
      clock,
      upstreams: Object.fromEntries(Object.entries(services).map(([name, service]) => [name, service.url])),
      tracer: tracerFor('gateway'),
    });
    await gateway.listen({ port: gatewayPort, host: gatewayConfig.HOST });
    // The gateway closes first so no request reaches a service that is shutting down.
    apps.unshift({ name: 'gateway', close: () => gateway.close() });
    const port = (gateway.server.address() as AddressInfo).port;
    return {
      port,
      url: `http://127.0.0.1:${port}`,
      dataDir: path.resolve(common.AGORA_DATA_DIR),
      logger,
      services,
      close: closeEverything,
    };
  } catch (error) {
    await closeEverything();
    throw error;
  }
}

async function freePort(host: string): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
