/**
 * Catalog as its own process: `node services/catalog/src/server.ts` (configuration from the
 * environment, see config.ts). The platform imports `catalogModule` from module.ts instead.
 */
import { runStandalone } from '@agora/kit/runtime';
import { catalogModule } from './module.ts';

export { catalogModule };

if (import.meta.main) await runStandalone(catalogModule);
