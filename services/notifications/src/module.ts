/** Notifications as a ServiceModule: what the platform launchers and server.ts run. */
import type { ServiceModule } from '@agora/kit/runtime';
import { buildApp } from './app.ts';
import { NotificationsConfig } from './config.ts';
import { SERVICE_NAME } from './domain/events.ts';

export const notificationsModule: ServiceModule<typeof NotificationsConfig> = {
  name: SERVICE_NAME,
  configSchema: NotificationsConfig,
  buildApp,
  port: (config) => config.PORT,
};
