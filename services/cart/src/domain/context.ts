/** What the cart's use cases work with, assembled once by app.ts (and by tests through buildApp). */
import type { Clock } from '@agora/kit/clock';
import type { Database } from '@agora/kit/db/database';
import type { Logger } from '@agora/kit/logger';
import type { CartConfig } from '../config.ts';

/** The service's name on the bus (its queue, its processed_events rows). It publishes nothing. */
export const SERVICE_NAME = 'cart';

export interface CartContext {
  config: CartConfig;
  database: Database;
  clock: Clock;
  logger: Logger;
}
