/**
 * Users as its own process: `node services/users/src/server.ts` (configuration from the
 * environment, see config.ts). The platform imports `usersModule` from module.ts instead.
 */
import { runStandalone } from '@agora/kit/runtime';
import { usersModule } from './module.ts';

export { usersModule };

if (import.meta.main) await runStandalone(usersModule);
