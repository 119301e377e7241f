/** What the orders service's use cases work with, assembled once by app.ts (and by tests through buildApp). */
import type { Clock } from '@agora/kit/clock';
import type { Database } from '@agora/kit/db/database';
import type { Logger } from '@agora/kit/logger';
import type { CartClient } from '../clients/cart.client.ts';
import type { OrdersConfig } from '../config.ts';

export interface OrdersContext {
  config: OrdersConfig;
  database: Database;
  clock: Clock;
  logger: Logger;
  cart: CartClient;
}

/** Where a change came from, for the events it causes (correlation, and causation from an event). */
export interface EventMeta {
  correlationId?: string | undefined;
  causationId?: string | undefined;
}

/** The meta of events caused by a delivered event: its correlation, and the event as cause. */
export const causedBy = (event: { id: string; correlationId: string }): EventMeta => ({ correlationId: event.correlationId, causationId: event.id });
