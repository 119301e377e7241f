/**
 * Comments: comments on posts, with their like counts. What it knows of others comes from
 * events: posts (where one may comment, whose post it is), authors (names beside comments) and
 * comment likes (the counts). `buildApp` wires the service from the adapters it is given and
 * never listens; server.ts runs it standalone, the platform runs it embedded, tests call it.
 */
import path from 'node:path';
import { remoteKeys } from '@agora/kit/auth/access-token';
import type { HttpApp } from '@agora/kit/http/app';
import { consumerGroups, createServiceApp, type ServiceDeps } from '@agora/kit/service';
import type { CommentsConfig } from './config.ts';
import { accountsConsumers } from './consumers/accounts.consumer.ts';
import { likesConsumers } from './consumers/likes.consumer.ts';
import { postsConsumers } from './consumers/posts.consumer.ts';
import type { CommentsContext } from './domain/context.ts';
import { SERVICE_NAME } from './domain/events.ts';
import { commentRoutes } from './routes/comments.routes.ts';

/** Routes span two prefixes (`/posts/:id/comments`, `/comments`), so they are registered by full path under this. */
export const API_PREFIX = '/api/v1';

export async function buildApp(deps: ServiceDeps<CommentsConfig>): Promise<HttpApp> {
  const { config, logger, database, clock } = deps;
  const ctx: CommentsContext = { config, database, clock, logger };
  const consumers = [postsConsumers(ctx), accountsConsumers(ctx), likesConsumers(ctx)];

  const { app } = await createServiceApp(deps, {
    service: SERVICE_NAME,
    migrationsDir: path.join(import.meta.dirname, 'db', 'migrations'),
    keys: remoteKeys(`${config.IDENTITY_URL}/.well-known/jwks.json`),
    consumers: consumerGroups(...consumers),
    openapi: { title: 'Agora comments', description: 'Comments on posts' },
  });

  await app.register(
    async (api) => {
      commentRoutes(api, ctx);
    },
    { prefix: API_PREFIX },
  );
  return app;
}
