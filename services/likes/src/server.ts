/**
 * Likes as its own process: `node services/likes/src/server.ts` (configuration from the
 * environment, see config.ts). The platform imports `likesModule` from module.ts instead.
 */
import { runStandalone } from '@agora/kit/runtime';
import { likesModule } from './module.ts';

export { likesModule };

if (import.meta.main) await runStandalone(likesModule);
