/** Orders as a ServiceModule: what the platform launchers and server.ts run. */
import type { ServiceModule } from '@agora/kit/runtime';
import { buildApp } from './app.ts';
import { OrdersConfig } from './config.ts';
import { SERVICE_NAME } from './domain/events.ts';

export const ordersModule: ServiceModule<typeof OrdersConfig> = {
  name: SERVICE_NAME,
  configSchema: OrdersConfig,
  buildApp,
  port: (config) => config.PORT,
  // An order from the cart reads it at CART_URL.
  calls: ['cart'],
};
