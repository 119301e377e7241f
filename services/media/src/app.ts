/**
 * Media: image uploads, their processed renditions and the storage holding them. Uploads are
 * stored through a MediaStorage adapter (S3-compatible object storage when S3_BUCKET is set,
 * otherwise local files under AGORA_DATA_DIR/media) and announced with media.uploaded;
 * deletions (by the owner, or taken along by post.deleted and user.deleted) are announced with
 * media.deleted and their bytes purged.
 * `buildApp` wires the service from the adapters it is given and never listens; server.ts runs
 * it standalone, the platform runs it embedded, tests call it.
 */
import path from 'node:path';
import { remoteKeys } from '@agora/kit/auth/access-token';
import type { HttpApp } from '@agora/kit/http/app';
import { consumerGroups, createServiceApp, type ServiceDeps } from '@agora/kit/service';
import type { MediaConfig } from './config.ts';
import { identityConsumers } from './consumers/identity.consumer.ts';
import { postsConsumers } from './consumers/posts.consumer.ts';
import type { MediaContext } from './domain/context.ts';
import { SERVICE_NAME } from './domain/events.ts';
import { MEDIA_PATH } from './domain/media.ts';
import { createPurger } from './domain/purge-deleted-media.ts';
import { mediaRoutes } from './routes/media.routes.ts';
import { UPLOAD_BODY_LIMIT, uploadRoutes } from './routes/upload.routes.ts';
import { openMediaStorage } from './storage/open-media-storage.ts';

export const API_PREFIX = MEDIA_PATH;

export async function buildApp(deps: ServiceDeps<MediaConfig>): Promise<HttpApp> {
  const { config, logger, database, clock } = deps;
  const storage = await openMediaStorage(config);
  const ctx: MediaContext = { config, database, storage, clock, logger };
  const identity = identityConsumers(ctx);
  const posts = postsConsumers(ctx);

  let app: HttpApp;
  try {
    ({ app } = await createServiceApp(deps, {
      service: SERVICE_NAME,
      migrationsDir: path.join(import.meta.dirname, 'db', 'migrations'),
      keys: remoteKeys(`${config.IDENTITY_URL}/.well-known/jwks.json`),
      bodyLimit: UPLOAD_BODY_LIMIT,
      consumers: consumerGroups(identity, posts),
      openapi: { title: 'Agora media', description: 'Image uploads, thumbnails and their storage' },
      // An instance whose bucket or directory can't be used can't take uploads or serve them.
      readiness: { storage: () => storage.ping() },
    }));
  } catch (error) {
    // Nothing else will close the storage's connections of an app that was never built.
    await storage.close();
    throw error;
  }

  const purger = createPurger(ctx, config.MEDIA_PURGE_INTERVAL_MS);
  app.addHook('onReady', async () => purger.start());
  // The purger uses the storage: stop it first.
  app.addHook('onClose', async () => {
    await purger.stop();
    await storage.close();
  });

  await app.register(
    async (api) => {
      await uploadRoutes(api, ctx);
      mediaRoutes(api, ctx);
    },
    { prefix: API_PREFIX },
  );
  return app;
}
