/**
 * Identity as its own process: `node services/identity/src/server.ts` (configuration from the
 * environment, see config.ts). The platform imports `identityModule` from module.ts instead.
 */
import { runStandalone } from '@agora/kit/runtime';
import { identityModule } from './module.ts';

export { identityModule };

if (import.meta.main) await runStandalone(identityModule);
