/**
 * Payments as its own process: `node services/payments/src/server.ts` (configuration from the
 * environment, see config.ts). The platform imports `paymentsModule` from module.ts instead.
 */
import { runStandalone } from '@agora/kit/runtime';
import { paymentsModule } from './module.ts';

export { paymentsModule };

if (import.meta.main) await runStandalone(paymentsModule);
