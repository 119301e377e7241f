/**
 * Notifications: each user's inbox, fed by the events of the social services (follows, likes,
 * comments; later orders and payments), with actor summaries from a projection of profiles, and
 * a live stream of new notifications that works across instances through the stores' pub/sub.
 * `buildApp` wires the service from the adapters it is given and never listens; server.ts runs
 * it standalone, the platform runs it embedded, tests call it.
 */
import path from 'node:path';
import { remoteKeys } from '@agora/kit/auth/access-token';
import type { HttpApp } from '@agora/kit/http/app';
import { createServiceApp, type ServiceDeps } from '@agora/kit/service';
import { createRevocationList } from '@agora/kit/store/revocation';
import type { NotificationsConfig } from './config.ts';
import { notificationConsumers } from './consumers/index.ts';
import type { NotificationsContext } from './domain/context.ts';
import { SERVICE_NAME } from './domain/events.ts';
import { afterCommit } from '@agora/kit/bus/after-commit';
import { createNotificationHub } from './live/notification-hub.ts';
import { createNotificationStreams } from './live/notification-streams.ts';
import { notificationRoutes } from './routes/notifications.routes.ts';
import { streamRoutes } from './routes/stream.routes.ts';

export const API_PREFIX = '/api/v1/notifications';

export async function buildApp(deps: ServiceDeps<NotificationsConfig>): Promise<HttpApp> {
  const { config, logger, database, clock, stores } = deps;
  const hub = createNotificationHub(stores.pubsub, logger);
  const streams = createNotificationStreams({ hub, heartbeatMs: config.STREAM_HEARTBEAT_MS, logger });
  const ctx: NotificationsContext = {
    config,
    database,
    clock,
    logger,
    live: {
      // Published only after the consumer's transaction committed, so a client that hears of a
      // notification finds it in the list.
      announceAfterCommit: (recipientId, notification) => afterCommit(() => hub.publish(recipientId, notification)),
    },
  };

  const { app } = await createServiceApp(
    deps,
    {
      service: SERVICE_NAME,
      migrationsDir: path.join(import.meta.dirname, 'db', 'migrations'),
      keys: remoteKeys(`${config.IDENTITY_URL}/.well-known/jwks.json`),
      consumers: notificationConsumers(ctx),
      openapi: { title: 'Agora notifications', description: 'Inboxes and live notification streams' },
    },
  );
  app.metrics.gauge('notification_streams_open', 'Live notification streams open on this instance', () => streams.count());

  // Streams never finish by themselves: end them before the server waits for open connections.
  app.addHook('preClose', () => streams.closeAll());
  app.addHook('onClose', () => hub.close());

  await app.register(
    async (api) => {
      notificationRoutes(api, ctx);
      streamRoutes(api, ctx, streams, createRevocationList(stores.kv));
    },
    { prefix: API_PREFIX },
  );
  return app;
}
