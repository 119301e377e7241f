/**
 * Media as its own process: `node services/media/src/server.ts` (configuration from the
 * environment, see config.ts). The platform imports `mediaModule` from module.ts instead.
 */
import { runStandalone } from '@agora/kit/runtime';
import { mediaModule } from './module.ts';

export { mediaModule };

if (import.meta.main) await runStandalone(mediaModule);
