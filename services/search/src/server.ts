/**
 * Search as its own process: `node services/search/src/server.ts` (configuration from the
 * environment, see config.ts). The platform imports `searchModule` from module.ts instead.
 */
import { runStandalone } from '@agora/kit/runtime';
import { searchModule } from './module.ts';

export { searchModule };

if (import.meta.main) await runStandalone(searchModule);
