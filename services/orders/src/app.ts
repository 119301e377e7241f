/**
 * Orders: the orders themselves, the orders side of the checkout saga (it places orders, and
 * confirms or cancels them on catalog's and payments' verdicts or a timeout), and the
 * Idempotency-Keys of POST /orders. Prices come from a projection of catalog's product events.
 * `buildApp` wires the service from the adapters it is given and never listens; server.ts runs
 * it standalone, the platform runs it embedded, tests call it.
 */
import path from 'node:path';
import { remoteKeys } from '@agora/kit/auth/access-token';
import type { HttpApp } from '@agora/kit/http/app';
import { consumerGroups, createServiceApp, type ServiceDeps } from '@agora/kit/service';
import { createCartClient } from './clients/cart.client.ts';
import type { OrdersConfig } from './config.ts';
import { catalogConsumers } from './consumers/catalog.consumer.ts';
import { paymentConsumers } from './consumers/payments.consumer.ts';
import { cancelOverdueOrders } from './domain/cancel-overdue-orders.ts';
import type { OrdersContext } from './domain/context.ts';
import { SERVICE_NAME } from './domain/events.ts';
import { createPeriodicJob } from '@agora/kit/periodic-job';
import { purgeExpiredKeys } from './domain/purge-idempotency-keys.ts';
import { orderRoutes } from './routes/orders.routes.ts';

export const API_PREFIX = '/api/v1';

export async function buildApp(deps: ServiceDeps<OrdersConfig>): Promise<HttpApp> {
  const { config, logger, database, clock } = deps;
  const cart = createCartClient({ baseUrl: config.CART_URL, timeoutMs: config.CART_TIMEOUT_MS, logger });
  const ctx: OrdersContext = { config, database, clock, logger, cart };

  const { app } = await createServiceApp(deps, {
    service: SERVICE_NAME,
    migrationsDir: path.join(import.meta.dirname, 'db', 'migrations'),
    keys: remoteKeys(`${config.IDENTITY_URL}/.well-known/jwks.json`),
    consumers: consumerGroups(catalogConsumers(ctx), paymentConsumers(ctx)),
    openapi: { title: 'Agora orders', description: 'Orders, the checkout saga’s decisions and timeouts, Idempotency-Keys' },
  });

  const jobs = [
    createPeriodicJob({ name: 'cancel-overdue-orders', intervalMs: config.ORDER_SWEEP_INTERVAL_MS, logger, run: () => cancelOverdueOrders(ctx) }),
    createPeriodicJob({ name: 'purge-idempotency-keys', intervalMs: config.IDEMPOTENCY_PURGE_INTERVAL_MS, logger, run: () => purgeExpiredKeys(ctx) }),
  ];
  app.addHook('onReady', async () => {
    for (const job of jobs) job.start();
  });
  app.addHook('onClose', async () => {
    await Promise.all(jobs.map((job) => job.stop()));
  });

  await app.register(
    async (api) => {
      orderRoutes(api, ctx);
    },
    { prefix: API_PREFIX },
  );
  return app;
}
