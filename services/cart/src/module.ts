/** The cart as a ServiceModule: what the platform launchers and server.ts run. */
import type { ServiceModule } from '@agora/kit/runtime';
import { buildApp } from './app.ts';
import { CartConfig } from './config.ts';
import { SERVICE_NAME } from './domain/context.ts';

export const cartModule: ServiceModule<typeof CartConfig> = {
  name: SERVICE_NAME,
  configSchema: CartConfig,
  buildApp,
  port: (config) => config.PORT,
};
