/**
 * Likes: who likes which post and which comment. Posts, comments and the likers' names are
 * projections of other services' events (posts, comments, identity and users); every change of
 * a like is announced through the outbox. `buildApp` wires the service from the adapters it is
 * given and never listens; server.ts runs it standalone, the platform runs it embedded, tests
 * call it.
 */
import path from 'node:path';
import { remoteKeys } from '@agora/kit/auth/access-token';
import type { HttpApp } from '@agora/kit/http/app';
import { consumerGroups, createServiceApp, type ServiceDeps } from '@agora/kit/service';
import type { LikesConfig } from './config.ts';
import { accountConsumers } from './consumers/accounts.consumer.ts';
import { commentConsumers } from './consumers/comments.consumer.ts';
import { postConsumers } from './consumers/posts.consumer.ts';
import type { LikesContext } from './domain/context.ts';
import { SERVICE_NAME } from './domain/events.ts';
import { likeRoutes } from './routes/likes.routes.ts';

/** Routes are registered with their full paths under it: the service answers below two prefixes. */
export const API_PREFIX = '/api/v1';

export async function buildApp(deps: ServiceDeps<LikesConfig>): Promise<HttpApp> {
  const { config, logger, database, clock } = deps;
  const ctx: LikesContext = { config, database, clock, logger };
  const consumers = [accountConsumers(ctx), postConsumers(ctx), commentConsumers(ctx)];

  const { app } = await createServiceApp(deps, {
    service: SERVICE_NAME,
    migrationsDir: path.join(import.meta.dirname, 'db', 'migrations'),
    keys: remoteKeys(`${config.IDENTITY_URL}/.well-known/jwks.json`),
    consumers: consumerGroups(...consumers),
    openapi: { title: 'Agora likes', description: 'Likes on posts and comments, and who liked a post' },
  });

  await app.register(
    async (api) => {
      likeRoutes(api, ctx);
    },
    { prefix: API_PREFIX },
  );
  return app;
}
