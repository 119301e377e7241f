/** What the media service's use cases work with, assembled once by app.ts (and by tests through buildApp). */
import type { Clock } from '@agora/kit/clock';
import type { Database } from '@agora/kit/db/database';
import type { Logger } from '@agora/kit/logger';
import type { MediaConfig } from '../config.ts';
import type { MediaStorage } from '../storage/media-storage.ts';

export interface MediaContext {
  config: MediaConfig;
  database: Database;
  storage: MediaStorage;
  clock: Clock;
  logger: Logger;
}

/** Who is asking, for events (correlation). */
export interface RequestMeta {
  correlationId?: string | undefined;
}
