/**
 * Posts: posts, the user timelines and the home timelines. Authors, the follow graph, media,
 * likes and comments are projections of other services' events kept in tables of its own; the
 * home feed is fanned out on write by its own post.created consumer, except for authors with
 * very many followers, whose posts are merged in when a feed is read (see README, "Home feed").
 * `buildApp` wires the service from the adapters it is given and never listens; server.ts runs it
 * standalone, the platform runs it embedded, tests call it.
 */
import path from 'node:path';
import { remoteKeys } from '@agora/kit/auth/access-token';
import type { HttpApp } from '@agora/kit/http/app';
import { consumerGroups, createServiceApp, type ServiceDeps } from '@agora/kit/service';
import type { PostsConfig } from './config.ts';
import { commentsConsumers } from './consumers/comments.consumer.ts';
import { identityConsumers } from './consumers/identity.consumer.ts';
import { likesConsumers } from './consumers/likes.consumer.ts';
import { mediaConsumers } from './consumers/media.consumer.ts';
import { postsConsumers } from './consumers/posts.consumer.ts';
import { usersConsumers } from './consumers/users.consumer.ts';
import type { PostsContext } from './domain/context.ts';
import { SERVICE_NAME } from './domain/events.ts';
import { postRoutes } from './routes/posts.routes.ts';
import { timelineRoutes } from './routes/timelines.routes.ts';

/** Posts answers under three gateway prefixes (/posts, /feed, /users/:id/posts), so routes carry their full paths below this. */
export const API_PREFIX = '/api/v1';

export async function buildApp(deps: ServiceDeps<PostsConfig>): Promise<HttpApp> {
  const { config, logger, database, clock } = deps;
  const ctx: PostsContext = { config, database, clock, logger };
  const consumers = [identityConsumers(ctx), usersConsumers(), mediaConsumers(ctx), likesConsumers(), commentsConsumers(), postsConsumers(ctx)];

  const { app } = await createServiceApp(deps, {
    service: SERVICE_NAME,
    migrationsDir: path.join(import.meta.dirname, 'db', 'migrations'),
    keys: remoteKeys(`${config.IDENTITY_URL}/.well-known/jwks.json`),
    consumers: consumerGroups(...consumers),
    openapi: { title: 'Agora posts', description: 'Posts, user timelines and home timelines' },
  });

  await app.register(
    async (api) => {
      postRoutes(api, ctx);
      timelineRoutes(api, ctx);
    },
    { prefix: API_PREFIX },
  );
  return app;
}
