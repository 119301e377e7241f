/**
 * Comments as its own process: `node services/comments/src/server.ts` (configuration from the
 * environment, see config.ts). The platform imports `commentsModule` from module.ts instead.
 */
import { runStandalone } from '@agora/kit/runtime';
import { commentsModule } from './module.ts';

export { commentsModule };

if (import.meta.main) await runStandalone(commentsModule);
