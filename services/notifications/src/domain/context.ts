/** What the notifications service's use cases work with, assembled once by app.ts (and by tests through buildApp). */
import type { Clock } from '@agora/kit/clock';
import type { Database } from '@agora/kit/db/database';
import type { Logger } from '@agora/kit/logger';
import type { NotificationsConfig } from '../config.ts';
import type { Notification } from './notifications.ts';

/**
 * Live delivery of new notifications to the recipient's open streams, on every instance. Called
 * inside the consumer's transaction; the push goes out only once that transaction has committed,
 * and at most once (the inbox, not the push, is the record).
 */
export interface LiveDelivery {
  announceAfterCommit(recipientId: string, notification: Notification): void;
}

export interface NotificationsContext {
  config: NotificationsConfig;
  database: Database;
  clock: Clock;
  logger: Logger;
  live: LiveDelivery;
}
