/** The kit's eventing: bus adapters, the transactional outbox and idempotent consumers. */
export type * from './types.ts';
export { createInProcessBus, type InProcessBusOptions } from './in-process-bus.ts';
export { createRabbitBus, type RabbitBusOptions } from './rabbitmq-bus.ts';
export { busMigrations, createEvent, enqueue, followUp, type EventContext } from './outbox.ts';
export { createOutboxRelay, type OutboxRelay, type OutboxRelayOptions } from './outbox-relay.ts';
export { consumeEvents, type ConsumeEventsOptions, type EventHandler } from './consume-events.ts';
export { topicMatches } from './topic-pattern.ts';
export { DEFAULT_PREFETCH, DEFAULT_RETRY_DELAYS_MS } from './delivery-defaults.ts';
