/**
 * Idempotent event consumers: each delivery runs in one database transaction that first records
 * (consumer, event id) in processed_events. A redelivery finds the row, is acknowledged and
 * skipped; a failing handler rolls the record back with its own writes, so the retry runs it
 * again from scratch. Follow-up events enqueued in that transaction commit with it; work a
 * handler hands to `afterCommit` (./after-commit.ts) runs once the transaction committed.
 */
import { Compile } from 'typebox/compile';
import type { TSchema } from 'typebox';
import type { Database, Tx } from '../db/database.ts';
import type { Logger } from '../logger.ts';
import { inProcessSpan } from '../tracing/messaging.ts';
import type { Tracer } from '../tracing/tracing.ts';
import { withAfterCommit } from './after-commit.ts';
import { processedEvents } from './outbox.tables.ts';
import { preparedStatement } from '../db/prepared-statement.ts';
import { sql } from 'drizzle-orm';
import { topicMatches } from './topic-pattern.ts';
import type { EventBus, EventEnvelope, Subscription } from './types.ts';

export type EventHandler = (event: EventEnvelope<any>, tx: Tx) => Promise<void>;

export interface ConsumeEventsOptions {
  /** The consuming service's name: its queue and its key in processed_events. */
  consumer: string;
  database: Database;
  bus: EventBus;
  logger: Logger;
  /** By event type; AMQP topic patterns (`profile.*`) work too. */
  handlers: Record<string, EventHandler>;
  /** TypeBox schemas of `data` by event type, checked before the handler runs. */
  schemas?: Record<string, TSchema>;
  retryDelaysMs?: number[];
  prefetch?: number;
  /** Called once per event this consumer handled (not for skipped redeliveries), after the commit. */
  onHandled?: (envelope: EventEnvelope<unknown>) => void;
  /** A `process` span around each delivery (../tracing/messaging.ts). */
  tracer?: Tracer | undefined;
}

/** Records (consumer, event) as handled; no row back means it already was. */
const recordProcessed = preparedStatement('kit_processed_insert', (q) =>
  q
    .insert(processedEvents)
    .values({ consumer: sql.placeholder('consumer'), eventId: sql.placeholder('eventId') })
    .onConflictDoNothing()
    .returning({ eventId: processedEvents.eventId }),
);

export async function consumeEvents(options: ConsumeEventsOptions): Promise<Subscription> {
  const { consumer, database, bus, handlers } = options;
  const logger = options.logger.child({ consumer });
  const validators = new Map(Object.entries(options.schemas ?? {}).map(([type, schema]) => [type, Compile(schema)]));

  function handlerFor(type: string): EventHandler | undefined {
    return handlers[type] ?? Object.entries(handlers).find(([pattern]) => topicMatches(pattern, type))?.[1];
  }

  /** Handles one delivery; false when it was a redelivery of an event already processed. */
  async function handle(envelope: EventEnvelope, attempt: number): Promise<boolean> {
    const event = { eventId: envelope.id, type: envelope.type, correlationId: envelope.correlationId, attempt };
    const handler = handlerFor(envelope.type);
    if (!handler) {
      // A binding left over from an older version of the service; retrying cannot help.
      logger.warn(event, 'no handler for event type; acknowledged without processing');
      return false;
    }
    const validator = validators.get(envelope.type);
    if (validator && !validator.Check(envelope.data)) {
      const problems = validator.Errors(envelope.data).slice(0, 3).map((error) => `${error.instancePath || '/'} ${error.message}`);
      throw new Error(`invalid ${envelope.type} data: ${problems.join('; ')}`);
    }
    const processed = await withAfterCommit(
      () =>
        database.transaction(async (tx) => {
          const recorded = await recordProcessed(tx, { consumer, eventId: envelope.id });
          if (recorded.length === 0) return false;
          await handler(envelope, tx);
          return true;
        }),
      logger,
    );
    if (processed) {
      options.onHandled?.(envelope);
      logger.debug(event, 'event processed');
    } else logger.debug(event, 'event already processed; skipped');
    return processed;
  }

  const tracer = options.tracer;
  return bus.consume(
    consumer,
    Object.keys(handlers),
    async ({ envelope, headers, attempt }) => {
      if (!tracer) {
        await handle(envelope, attempt);
        return;
      }
      await inProcessSpan(tracer, { consumer, system: bus.kind, envelope, headers, attempt }, async (span) => {
        if (!(await handle(envelope, attempt))) span.setAttribute('agora.skipped', true);
      });
    },
    { retryDelaysMs: options.retryDelaysMs, prefetch: options.prefetch },
  );
}
