/**
 * Every event the service consumes, one file per producer. A new source is one more file here:
 * its handlers call domain/notify.ts's `notify` inside the transaction given.
 */
import type { TSchema } from 'typebox';
import type { EventHandler } from '@agora/kit/service';
import type { NotificationsContext } from '../domain/context.ts';
import { commentsConsumers } from './comments.consumer.ts';
import { identityConsumers } from './identity.consumer.ts';
import { likesConsumers } from './likes.consumer.ts';
import { commerceConsumers } from './commerce.consumer.ts';
import { usersConsumers } from './users.consumer.ts';

export interface Consumers {
  handlers: Record<string, EventHandler>;
  schemas: Record<string, TSchema>;
}

const sources: ((ctx: NotificationsContext) => Consumers)[] = [identityConsumers, usersConsumers, likesConsumers, commentsConsumers, commerceConsumers];

export function notificationConsumers(ctx: NotificationsContext): Consumers {
  const all: Consumers = { handlers: {}, schemas: {} };
  for (const source of sources) {
    const { handlers, schemas } = source(ctx);
    Object.assign(all.handlers, handlers);
    Object.assign(all.schemas, schemas);
  }
  return all;
}
