/**
 * Payments: charges an order once its stock is reserved, refunds it when the order is cancelled,
 * through a card processor behind a small interface (the simulated one here). Every decision is
 * announced through the outbox. `buildApp` wires the service from the adapters it is given and
 * never listens; server.ts runs it standalone, the platform runs it embedded, tests call it.
 */
import path from 'node:path';
import { remoteKeys } from '@agora/kit/auth/access-token';
import type { HttpApp } from '@agora/kit/http/app';
import { consumerGroups, createServiceApp, type ServiceDeps } from '@agora/kit/service';
import type { PaymentsConfig } from './config.ts';
import { catalogConsumers } from './consumers/catalog.consumer.ts';
import { orderConsumers } from './consumers/orders.consumer.ts';
import type { CardProcessor } from './domain/card-processor.ts';
import type { PaymentsContext } from './domain/context.ts';
import { SERVICE_NAME } from './domain/events.ts';
import { simulatedCardProcessor } from './processor/simulated-card-processor.ts';
import { paymentRoutes } from './routes/payments.routes.ts';

/** Routes are registered with their full paths under it. */
export const API_PREFIX = '/api/v1';

export interface PaymentsOptions {
  /** The card processor; the simulated one unless given (tests pass one that records its calls). */
  processor?: CardProcessor;
}

export async function buildApp(deps: ServiceDeps<PaymentsConfig>, options: PaymentsOptions = {}): Promise<HttpApp> {
  const { config, logger, database, clock } = deps;
  const ctx: PaymentsContext = { config, database, clock, logger, processor: options.processor ?? simulatedCardProcessor() };

  const { app } = await createServiceApp(deps, {
    service: SERVICE_NAME,
    migrationsDir: path.join(import.meta.dirname, 'db', 'migrations'),
    keys: remoteKeys(`${config.IDENTITY_URL}/.well-known/jwks.json`),
    consumers: consumerGroups(catalogConsumers(ctx), orderConsumers(ctx)),
    openapi: { title: 'Agora payments', description: 'Payments and refunds of orders, through a simulated card processor' },
  });

  await app.register(
    async (api) => {
      paymentRoutes(api, ctx);
    },
    { prefix: API_PREFIX },
  );
  return app;
}
