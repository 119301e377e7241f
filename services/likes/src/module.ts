/** Likes as a ServiceModule: what the platform launchers and server.ts run. */
import type { ServiceModule } from '@agora/kit/runtime';
import { buildApp } from './app.ts';
import { LikesConfig } from './config.ts';
import { SERVICE_NAME } from './domain/events.ts';

export const likesModule: ServiceModule<typeof LikesConfig> = {
  name: SERVICE_NAME,
  configSchema: LikesConfig,
  buildApp,
  port: (config) => config.PORT,
};
