/**
 * Posts as its own process: `node services/posts/src/server.ts` (configuration from the
 * environment, see config.ts). The platform imports `postsModule` from module.ts instead.
 */
import { runStandalone } from '@agora/kit/runtime';
import { postsModule } from './module.ts';

export { postsModule };

if (import.meta.main) await runStandalone(postsModule);
