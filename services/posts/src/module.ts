/** Posts as a ServiceModule: what the platform launchers and server.ts run. */
import type { ServiceModule } from '@agora/kit/runtime';
import { buildApp } from './app.ts';
import { PostsConfig } from './config.ts';
import { SERVICE_NAME } from './domain/events.ts';

export const postsModule: ServiceModule<typeof PostsConfig> = {
  name: SERVICE_NAME,
  configSchema: PostsConfig,
  buildApp,
  port: (config) => config.PORT,
};
