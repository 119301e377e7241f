/**
 * The cart as its own process: `node services/cart/src/server.ts` (configuration from the
 * environment, see config.ts). The platform imports `cartModule` from module.ts instead.
 */
import { runStandalone } from '@agora/kit/runtime';
import { cartModule } from './module.ts';

export { cartModule };

if (import.meta.main) await runStandalone(cartModule);
