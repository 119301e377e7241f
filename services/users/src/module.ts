/** Users as a ServiceModule: what the platform launchers and server.ts run. */
import type { ServiceModule } from '@agora/kit/runtime';
import { buildApp } from './app.ts';
import { UsersConfig } from './config.ts';
import { SERVICE_NAME } from './domain/events.ts';

export const usersModule: ServiceModule<typeof UsersConfig> = {
  name: SERVICE_NAME,
  configSchema: UsersConfig,
  buildApp,
  port: (config) => config.PORT,
};
