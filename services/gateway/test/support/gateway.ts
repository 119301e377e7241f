/** Builds the gateway the way the platform does, on memory stores (or Redis) and the in-process bus. */
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { openStores } from '@agora/kit/store/open-stores';
import { loadConfig } from '@agora/kit/config';
import { createLogger } from '@agora/kit/logger';
import { createInProcessBus } from '@agora/kit/bus/in-process-bus';
import type { EventBus } from '@agora/kit/bus/types';
import type { Stores } from '@agora/kit/store/types';
import type { HttpApp } from '@agora/kit/http/app';
import { services, type ServiceEntry } from '@agora/contracts/services';
import { buildApp } from '../../src/app.ts';
import { GatewayConfig } from '../../src/config.ts';

export interface TestGateway {
  app: HttpApp;
  stores: Stores;
  bus: EventBus;
  /** Set once `listen()` was called. */
  url: string;
  listen(): Promise<string>;
  close(): Promise<void>;
}

export interface TestGatewayOptions {
  upstreams: Record<string, string>;
  /** Names of the services to treat as built; the contracts list's flags otherwise. */
  built?: string[];
  env?: Record<string, string>;
  stores?: Stores;
}

/** Memory stores, or Redis when REDIS_URL is set, each gateway under a key prefix of its own. */
export const testStores = (): Stores => openStores({ redisUrl: process.env['REDIS_URL'], keyPrefix: `test:gateway:${randomUUID()}:` });

export function servicesWithBuilt(built: string[]): ServiceEntry[] {
  return services.map((service) => ({ ...service, built: built.includes(service.name) }));
}

export async function startGateway(options: TestGatewayOptions): Promise<TestGateway> {
  const config = loadConfig(GatewayConfig, { LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'silent', ...options.env });
  const logger = createLogger('gateway', config.LOG_LEVEL);
  const stores = options.stores ?? testStores();
  const bus = createInProcessBus({ logger });
  const app = await buildApp({
    config,
    logger,
    stores,
    bus,
    upstreams: options.upstreams,
    ...(options.built ? { services: servicesWithBuilt(options.built) } : {}),
  });
  const gateway: TestGateway = {
    app,
    stores,
    bus,
    url: '',
    async listen() {
      await app.listen({ port: 0, host: '127.0.0.1' });
      gateway.url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
      return gateway.url;
    },
    async close() {
      await app.close();
      await bus.close();
      await stores.close();
    },
  };
  return gateway;
}
