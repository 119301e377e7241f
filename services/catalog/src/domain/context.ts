/** What the catalog's use cases work with, assembled once by app.ts (and by tests through buildApp). */
import type { Clock } from '@agora/kit/clock';
import type { Database } from '@agora/kit/db/database';
import type { Logger } from '@agora/kit/logger';
import type { CatalogConfig } from '../config.ts';

export interface CatalogContext {
  config: CatalogConfig;
  database: Database;
  clock: Clock;
  logger: Logger;
}

/** Correlation of the events a use case publishes: the request, or the event that caused it. */
export interface EventMeta {
  correlationId?: string | undefined;
  causationId?: string | undefined;
}
