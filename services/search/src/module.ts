/** Search as a ServiceModule: what the platform launchers and server.ts run. */
import type { ServiceModule } from '@agora/kit/runtime';
import { buildApp } from './app.ts';
import { SearchConfig } from './config.ts';
import { SERVICE_NAME } from './domain/events.ts';

export const searchModule: ServiceModule<typeof SearchConfig> = {
  name: SERVICE_NAME,
  configSchema: SearchConfig,
  buildApp,
  port: (config) => config.PORT,
};
