/**
 * Catalog: products, categories, stock and its reservations in the checkout saga, and reviews.
 * Review authors and uploaded media are projections of other services' events kept in tables of
 * its own. `buildApp` wires the service from the adapters it is given and never listens;
 * server.ts runs it standalone, the platform runs it embedded, tests call it.
 */
import path from 'node:path';
import { remoteKeys } from '@agora/kit/auth/access-token';
import type { HttpApp } from '@agora/kit/http/app';
import { consumerGroups, createServiceApp, type ServiceDeps } from '@agora/kit/service';
import type { CatalogConfig } from './config.ts';
import { identityConsumers } from './consumers/identity.consumer.ts';
import { mediaConsumers } from './consumers/media.consumer.ts';
import { ordersConsumers } from './consumers/orders.consumer.ts';
import { usersConsumers } from './consumers/users.consumer.ts';
import { productViewsRepository } from './db/product-views.repository.ts';
import type { CatalogContext } from './domain/context.ts';
import { SERVICE_NAME } from './domain/events.ts';
import { categoryRoutes } from './routes/categories.routes.ts';
import { productRoutes } from './routes/products.routes.ts';
import { reviewRoutes } from './routes/reviews.routes.ts';

/** Catalog answers under two gateway prefixes (/products, /categories), so routes carry their full paths below this. */
export const API_PREFIX = '/api/v1';

export async function buildApp(deps: ServiceDeps<CatalogConfig>): Promise<HttpApp> {
  const { config, logger, database, clock } = deps;
  const ctx: CatalogContext = { config, database, clock, logger };
  const views = productViewsRepository(database);

  const { app } = await createServiceApp(deps, {
    service: SERVICE_NAME,
    migrationsDir: path.join(import.meta.dirname, 'db', 'migrations'),
    keys: remoteKeys(`${config.IDENTITY_URL}/.well-known/jwks.json`),
    consumers: consumerGroups(ordersConsumers(ctx), identityConsumers(ctx), usersConsumers(), mediaConsumers(ctx)),
    openapi: { title: 'Agora catalog', description: 'Products, categories, stock and reservations, reviews' },
  });

  await app.register(
    async (api) => {
      productRoutes(api, ctx, views);
      reviewRoutes(api, ctx);
      categoryRoutes(api, ctx);
    },
    { prefix: API_PREFIX },
  );
  return app;
}
