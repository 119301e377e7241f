/** Media as a ServiceModule: what the platform launchers and server.ts run. */
import type { ServiceModule } from '@agora/kit/runtime';
import { buildApp } from './app.ts';
import { MediaConfig } from './config.ts';
import { SERVICE_NAME } from './domain/events.ts';

export const mediaModule: ServiceModule<typeof MediaConfig> = {
  name: SERVICE_NAME,
  configSchema: MediaConfig,
  buildApp,
  port: (config) => config.PORT,
};
