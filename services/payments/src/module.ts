/** Payments as a ServiceModule: what the platform launchers and server.ts run. */
import type { ServiceModule } from '@agora/kit/runtime';
import { buildApp } from './app.ts';
import { PaymentsConfig } from './config.ts';
import { SERVICE_NAME } from './domain/events.ts';

export const paymentsModule: ServiceModule<typeof PaymentsConfig> = {
  name: SERVICE_NAME,
  configSchema: PaymentsConfig,
  buildApp,
  port: (config) => config.PORT,
};
