/**
 * Orders as its own process: `node services/orders/src/server.ts` (configuration from the
 * environment, see config.ts). The platform imports `ordersModule` from module.ts instead.
 */
import { runStandalone } from '@agora/kit/runtime';
import { ordersModule } from './module.ts';

export { ordersModule };

if (import.meta.main) await runStandalone(ordersModule);
