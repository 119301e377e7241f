/** What the search service's use cases work with, assembled once by app.ts (and by tests through buildApp). */
import type { Clock } from '@agora/kit/clock';
import type { Database } from '@agora/kit/db/database';
import type { Logger } from '@agora/kit/logger';
import type { SearchConfig } from '../config.ts';
import type { SearchRepository } from '../db/search.repository.ts';

export interface SearchContext {
  config: SearchConfig;
  database: Database;
  clock: Clock;
  logger: Logger;
  documents: SearchRepository;
}
