/**
 * The event bus contract both adapters (in-process and RabbitMQ) implement and one shared
 * contract suite checks. Delivery is at least once and unordered; handlers must tolerate both.
 */
export interface EventEnvelope<D = unknown> {
  /** UUIDv7, unique per event; consumers deduplicate on it. */
  id: string;
  /** Dotted past tense, and the routing key: `order.created`. */
  type: string;
  version: number;
  occurredAt: string;
  producer: string;
  correlationId: string;
  causationId?: string;
  data: D;
}

/** Transport headers (W3C `traceparent`, retry bookkeeping); never part of the event itself. */
export type MessageHeaders = Record<string, string>;

export interface Delivery<D = unknown> {
  envelope: EventEnvelope<D>;
  headers: MessageHeaders;
  /** 1 on first delivery, incremented on each retry. */
  attempt: number;
}

export type DeliveryHandler = (delivery: Delivery) => Promise<void>;

export interface ConsumeOptions {
  /** How many deliveries may be in flight at once for this queue. */
  prefetch?: number;
  /** Delay before each retry; a delivery that still fails after the last one is dead-lettered. */
  retryDelaysMs?: number[];
}

export interface Subscription {
  /** Stops taking new deliveries and resolves once those in flight are settled. */
  stop(): Promise<void>;
}

export interface DeadLetter {
  envelope: EventEnvelope;
  headers: MessageHeaders;
  /** Why it was parked: the last handler error's message. */
  reason: string;
  deadAt: string;
}

export interface DeadLetterQueue {
  count(queue: string): Promise<number>;
  list(queue: string, limit?: number): Promise<DeadLetter[]>;
  /** Moves dead letters back onto the queue with a fresh attempt count; returns how many. */
  replay(queue: string): Promise<number>;
  purge(queue: string): Promise<number>;
}

export interface EventBus {
  readonly kind: 'in-process' | 'rabbitmq';
  /** Resolves once the broker has accepted the message (publisher confirm); rejects otherwise. */
  publish(envelope: EventEnvelope, headers?: MessageHeaders): Promise<void>;
  /**
   * Declares `queue` (durable), binds it to each event type in `types` and delivers to
   * `handler`. A handler that throws is retried after each of `retryDelaysMs`, then the
   * delivery is parked in the queue's dead-letter queue.
   */
  consume(queue: string, types: string[], handler: DeliveryHandler, options?: ConsumeOptions): Promise<Subscription>;
  readonly deadLetters: DeadLetterQueue;
  isReady(): Promise<boolean>;
  close(): Promise<void>;
}
