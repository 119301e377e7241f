/** What the users service's use cases work with, assembled once by app.ts (and by tests through buildApp). */
import type { Clock } from '@agora/kit/clock';
import type { Database } from '@agora/kit/db/database';
import type { Logger } from '@agora/kit/logger';
import type { UsersConfig } from '../config.ts';

export interface UsersContext {
  config: UsersConfig;
  database: Database;
  clock: Clock;
  logger: Logger;
}

/** Who is asking, for events (correlation). */
export interface RequestMeta {
  correlationId?: string | undefined;
}
