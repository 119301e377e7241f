/**
 * Users: profiles and the follow graph. Profiles are a projection of identity's accounts
 * (user.registered / user.deleted) plus what users edit here; avatars come from a projection of
 * the media service's uploads. `buildApp` wires the service from the adapters it is given and
 * never listens; server.ts runs it standalone, the platform runs it embedded, tests call it.
 */
import path from 'node:path';
import { remoteKeys } from '@agora/kit/auth/access-token';
import type { HttpApp } from '@agora/kit/http/app';
import { consumerGroups, createServiceApp, type ServiceDeps } from '@agora/kit/service';
import type { UsersConfig } from './config.ts';
import { identityConsumers } from './consumers/identity.consumer.ts';
import { mediaConsumers } from './consumers/media.consumer.ts';
import type { UsersContext } from './domain/context.ts';
import { SERVICE_NAME } from './domain/events.ts';
import { followRoutes } from './routes/follows.routes.ts';
import { profileRoutes } from './routes/profiles.routes.ts';

export const API_PREFIX = '/api/v1/users';

export async function buildApp(deps: ServiceDeps<UsersConfig>): Promise<HttpApp> {
  const { config, logger, database, clock } = deps;
  const ctx: UsersContext = { config, database, clock, logger };
  const identity = identityConsumers(ctx);
  const media = mediaConsumers(ctx);

  const { app } = await createServiceApp(deps, {
    service: SERVICE_NAME,
    migrationsDir: path.join(import.meta.dirname, 'db', 'migrations'),
    keys: remoteKeys(`${config.IDENTITY_URL}/.well-known/jwks.json`),
    consumers: consumerGroups(identity, media),
    openapi: { title: 'Agora users', description: 'Profiles and the follow graph' },
  });

  await app.register(
    async (api) => {
      profileRoutes(api, ctx);
      followRoutes(api, ctx);
    },
    { prefix: API_PREFIX },
  );
  return app;
}
