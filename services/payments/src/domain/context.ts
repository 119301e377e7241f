/** What the payments service's use cases work with, assembled once by app.ts (and by tests through buildApp). */
import type { Clock } from '@agora/kit/clock';
import type { Database } from '@agora/kit/db/database';
import type { Logger } from '@agora/kit/logger';
import type { PaymentsConfig } from '../config.ts';
import type { CardProcessor } from './card-processor.ts';

export interface PaymentsContext {
  config: PaymentsConfig;
  database: Database;
  clock: Clock;
  logger: Logger;
  processor: CardProcessor;
}

/** Where a change came from, for the events it causes (correlation, and causation from an event). */
export interface EventMeta {
  correlationId?: string | undefined;
  causationId?: string | undefined;
}
