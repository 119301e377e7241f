/** Comments as a ServiceModule: what the platform launchers and server.ts run. */
import type { ServiceModule } from '@agora/kit/runtime';
import { buildApp } from './app.ts';
import { CommentsConfig } from './config.ts';
import { SERVICE_NAME } from './domain/events.ts';

export const commentsModule: ServiceModule<typeof CommentsConfig> = {
  name: SERVICE_NAME,
  configSchema: CommentsConfig,
  buildApp,
  port: (config) => config.PORT,
};
