/** Catalog as a ServiceModule: what the platform launchers and server.ts run. */
import type { ServiceModule } from '@agora/kit/runtime';
import { buildApp } from './app.ts';
import { CatalogConfig } from './config.ts';
import { SERVICE_NAME } from './domain/events.ts';

export const catalogModule: ServiceModule<typeof CatalogConfig> = {
  name: SERVICE_NAME,
  configSchema: CatalogConfig,
  buildApp,
  port: (config) => config.PORT,
};
