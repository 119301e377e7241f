/**
 * A service's publisher: `emitterFor('users')` gives the `emit(tx, type, data, meta)` its use
 * cases call. The event is written to the outbox inside the caller's transaction, so it exists
 * exactly when its state change was committed, and its data is checked against the shared
 * contract first, so a producer bug fails here and not in every consumer.
 */
import { Value } from 'typebox/value';
import { eventSchemas, type EventData, type EventType } from '@agora/contracts/events';
import type { Tx } from '../db/database.ts';
import { createEvent, enqueue } from './outbox.ts';

/** Correlation of a new event: the request or the event that caused it. */
export interface EmitMeta {
  correlationId?: string | undefined;
  causationId?: string | undefined;
}

export type Emit<T extends EventType> = <K extends T>(tx: Tx, type: K, data: EventData<K>, meta: EmitMeta) => Promise<void>;

export function emitterFor<T extends EventType>(producer: string): Emit<T> {
  return async (tx, type, data, meta) => {
    const schema = eventSchemas[type];
    if (!Value.Check(schema, data)) {
      const problems = [...Value.Errors(schema, data)].map((error) => `${error.instancePath || '/'} ${error.message}`);
      throw new Error(`refusing to publish ${type} that breaks its contract: ${problems.join('; ')}`);
    }
    await enqueue(tx, createEvent(type, data, { producer, correlationId: meta.correlationId, causationId: meta.causationId }));
  };
}
