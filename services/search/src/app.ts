/**
 * Search: a read model over posts, people and products, fed by their owners' events, answering
 * one ranked query route. `buildApp` wires the service from the adapters it is given and never
 * listens; server.ts runs it standalone, the platform runs it embedded, tests call it.
 */
import path from 'node:path';
import { remoteKeys } from '@agora/kit/auth/access-token';
import type { HttpApp } from '@agora/kit/http/app';
import { consumerGroups, createServiceApp, type ServiceDeps } from '@agora/kit/service';
import type { SearchConfig } from './config.ts';
import { accountConsumers } from './consumers/accounts.consumer.ts';
import { postConsumers } from './consumers/posts.consumer.ts';
import { productConsumers } from './consumers/products.consumer.ts';
import { searchRepository } from './db/search.repository.ts';
import type { SearchContext } from './domain/context.ts';
import { SERVICE_NAME } from './domain/events.ts';
import { searchRoutes } from './routes/search.routes.ts';

export const API_PREFIX = '/api/v1/search';

export async function buildApp(deps: ServiceDeps<SearchConfig>): Promise<HttpApp> {
  const { config, logger, database, clock } = deps;
  const ctx: SearchContext = { config, database, clock, logger, documents: searchRepository(database) };
  const sources = [accountConsumers(ctx), postConsumers(ctx), productConsumers(ctx)];

  const { app } = await createServiceApp(deps, {
    service: SERVICE_NAME,
    migrationsDir: path.join(import.meta.dirname, 'db', 'migrations'),
    // The route is public, but a token that is sent is still verified (a bad one is 401).
    keys: remoteKeys(`${config.IDENTITY_URL}/.well-known/jwks.json`),
    consumers: consumerGroups(...sources),
    openapi: { title: 'Agora search', description: 'Ranked search over posts, people and products' },
  });

  await app.register(
    async (api) => {
      searchRoutes(api, ctx);
    },
    { prefix: API_PREFIX },
  );
  return app;
}
