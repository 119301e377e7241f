/**
 * Notifications as its own process: `node services/notifications/src/server.ts` (configuration
 * from the environment, see config.ts). The platform imports `notificationsModule` from module.ts instead.
 */
import { runStandalone } from '@agora/kit/runtime';
import { notificationsModule } from './module.ts';

export { notificationsModule };

if (import.meta.main) await runStandalone(notificationsModule);
