/**
 * Writing events: build an envelope and put it in the outbox inside the caller's transaction,
 * so an event exists if and only if the state change it announces was committed. The relay
 * (outbox-relay.ts) takes it from there.
 */
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { Tx } from '../db/database.ts';
import { preparedStatement } from '../db/prepared-statement.ts';
import { newId } from '../ids.ts';
import { traceContextHeaders } from '../tracing/propagation.ts';
import { outbox } from './outbox.tables.ts';
import type { EventEnvelope, MessageHeaders } from './types.ts';

/** The kit's own tables (outbox, processed_events), migrated before a service's own. */
export const busMigrations = { namespace: 'kit.bus', dir: path.join(import.meta.dirname, 'migrations') };

export interface EventContext {
  producer: string;
  /** Defaults to the event's own id: a new event starts a new conversation. */
  correlationId?: string;
  causationId?: string;
  version?: number;
}

export function createEvent<D>(type: string, data: D, context: EventContext): EventEnvelope<D> {
  const id = newId();
  const envelope: EventEnvelope<D> = {
    id,
    type,
    version: context.version ?? 1,
    occurredAt: new Date().toISOString(),
    producer: context.producer,
    correlationId: context.correlationId ?? id,
    data,
  };
  if (context.causationId !== undefined) envelope.causationId = context.causationId;
  return envelope;
}

/** An event caused by `cause`: same conversation (correlationId), and `cause` as its causation. */
export function followUp<D>(cause: EventEnvelope<unknown>, type: string, data: D, producer: string): EventEnvelope<D> {
  return createEvent(type, data, { producer, correlationId: cause.correlationId, causationId: cause.id });
}

/**
 * Writes the event to the outbox with the trace context of the request or event that caused it,
 * so the relay's `send` span, however much later and wherever it runs, continues that trace.
 */
export async function enqueue(tx: Tx, envelope: EventEnvelope<unknown>, headers: MessageHeaders = {}): Promise<void> {
  await insertOutboxRow(tx, { id: envelope.id, type: envelope.type, envelope, headers: { ...traceContextHeaders(), ...headers } });
}

const insertOutboxRow = preparedStatement('kit_outbox_insert', (q) =>
  q.insert(outbox).values({ id: sql.placeholder('id'), type: sql.placeholder('type'), envelope: sql.placeholder('envelope'), headers: sql.placeholder('headers') }),
);
