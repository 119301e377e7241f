/** Events from identity: an erased account takes all its uploads. Thin: the rules live in domain/delete-media.ts. */
import { UserDeleted, type EventData } from '@agora/contracts/events';
import type { EventHandler } from '@agora/kit/service';
import type { MediaContext } from '../domain/context.ts';
import { eraseUserMedia } from '../domain/delete-media.ts';

export function identityConsumers(ctx: MediaContext) {
  const handlers: Record<string, EventHandler> = {
    'user.deleted': async (event, tx) => {
      const data = event.data as EventData<'user.deleted'>;
      await eraseUserMedia(tx, data.userId, ctx.clock.now(), { correlationId: event.correlationId, causationId: event.id });
    },
  };
  return { handlers, schemas: { 'user.deleted': UserDeleted } };
}
