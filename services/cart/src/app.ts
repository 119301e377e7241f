/**
 * Cart: one cart per user, priced from a projection of the catalog's product events. The
 * ordering service reads a buyer's cart through GET /api/v1/cart with the buyer's own token and
 * the cart drops what a confirmed order bought (order.confirmed). It publishes no events.
 * `buildApp` wires the service from the adapters it is given and never listens; server.ts runs
 * it standalone, the platform runs it embedded, tests call it.
 */
import path from 'node:path';
import { remoteKeys } from '@agora/kit/auth/access-token';
import type { HttpApp } from '@agora/kit/http/app';
import { consumerGroups, createServiceApp, type ServiceDeps } from '@agora/kit/service';
import type { CartConfig } from './config.ts';
import { accountConsumers } from './consumers/accounts.consumer.ts';
import { orderConsumers } from './consumers/orders.consumer.ts';
import { productConsumers } from './consumers/products.consumer.ts';
import { SERVICE_NAME, type CartContext } from './domain/context.ts';
import { cartRoutes } from './routes/cart.routes.ts';

/** Routes are registered with their full paths under it. */
export const API_PREFIX = '/api/v1';

export async function buildApp(deps: ServiceDeps<CartConfig>): Promise<HttpApp> {
  const { config, logger, database, clock } = deps;
  const ctx: CartContext = { config, database, clock, logger };

  const { app } = await createServiceApp(deps, {
    service: SERVICE_NAME,
    migrationsDir: path.join(import.meta.dirname, 'db', 'migrations'),
    keys: remoteKeys(`${config.IDENTITY_URL}/.well-known/jwks.json`),
    consumers: consumerGroups(productConsumers(), orderConsumers(), accountConsumers()),
    openapi: { title: 'Agora cart', description: 'One cart per user, priced from the catalog' },
  });

  await app.register(
    async (api) => {
      cartRoutes(api, ctx);
    },
    { prefix: API_PREFIX },
  );
  return app;
}
