/** Identity as a ServiceModule: what the platform launchers and server.ts run. */
import type { ServiceModule } from '@agora/kit/runtime';
import { buildApp } from './app.ts';
import { IdentityConfig } from './config.ts';
import { SERVICE_NAME } from './domain/events.ts';

export const identityModule: ServiceModule<typeof IdentityConfig> = {
  name: SERVICE_NAME,
  configSchema: IdentityConfig,
  buildApp,
  port: (config) => config.PORT,
};
