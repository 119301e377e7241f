/**
 * The events the users service publishes, written to the outbox inside the caller's transaction
 * so an event exists exactly when its state change was committed. Data is checked against the
 * shared contract before it leaves, so a producer bug fails here and not in every consumer.
 */
import { Value } from 'typebox/value';
import { eventSchemas, type EventData, type EventType } from '@agora/contracts/events';
import { createEvent, enqueue } from '@agora/kit/bus/outbox';
import type { Tx } from '@agora/kit/db/database';

export const SERVICE_NAME = 'users';

export type UsersEventType = 'profile.updated' | 'user.followed' | 'user.unfollowed';

export async function emit<T extends UsersEventType & EventType>(
  tx: Tx,
  type: T,
  data: EventData<T>,
  meta: { correlationId?: string | undefined; causationId?: string | undefined },
): Promise<void> {
  const schema = eventSchemas[type];
  if (!Value.Check(schema, data)) {
    const problems = [...Value.Errors(schema, data)].map((error) => `${error.instancePath || '/'} ${error.message}`);
    throw new Error(`refusing to publish ${type} that breaks its contract: ${problems.join('; ')}`);
  }
  await enqueue(tx, createEvent(type, data, { producer: SERVICE_NAME, correlationId: meta.correlationId, causationId: meta.causationId }));
}
