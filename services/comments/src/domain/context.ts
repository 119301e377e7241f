/** What the comments service's use cases work with, assembled once by app.ts (and by tests through buildApp). */
import type { Clock } from '@agora/kit/clock';
import type { Database } from '@agora/kit/db/database';
import type { Logger } from '@agora/kit/logger';
import type { CommentsConfig } from '../config.ts';

export interface CommentsContext {
  config: CommentsConfig;
  database: Database;
  clock: Clock;
  logger: Logger;
}

/** Correlation of the events a request causes. */
export interface RequestMeta {
  correlationId?: string | undefined;
}

/** Correlation of the events an event causes: same conversation, the event as cause. */
export interface EventMeta {
  correlationId: string;
  causationId: string;
}
