/**
 * The embedded mode's broker: an in-memory topic exchange with RabbitMQ's semantics, so a
 * service that works here works on the broker. Each queue gets its own copy of every matching
 * event; consumers on one queue compete; deliveries are asynchronous and bounded by prefetch;
 * failed deliveries are retried after each delay, then parked in the queue's dead-letter list.
 * Nothing survives the process: durability is the outbox's job, not this bus's.
 */
import { createLogger, type Logger } from '../logger.ts';
import { DEFAULT_PREFETCH, DEFAULT_RETRY_DELAYS_MS } from './delivery-defaults.ts';
import { errorMessage } from './message-headers.ts';
import { topicMatches } from './topic-pattern.ts';
import type {
  ConsumeOptions,
  DeadLetter,
  DeadLetterQueue,
  DeliveryHandler,
  EventBus,
  EventEnvelope,
  MessageHeaders,
  Subscription,
} from './types.ts';

interface QueuedMessage {
  /** Never handed to a handler: every delivery gets its own clone, so a retry sees the original. */
  envelope: EventEnvelope;
  headers: MessageHeaders;
  attempt: number;
}

interface Consumer {
  handler: DeliveryHandler;
  prefetch: number;
  retryDelaysMs: readonly number[];
  inFlight: Set<Promise<void>>;
}

interface Queue {
  name: string;
  bindings: Set<string>;
  ready: QueuedMessage[];
  consumers: Consumer[];
  /** Round-robin cursor, so competing consumers share the work. */
  nextConsumer: number;
  dispatchScheduled: boolean;
  deadLetters: DeadLetter[];
}

export interface InProcessBusOptions {
  logger?: Logger;
}

export function createInProcessBus(options: InProcessBusOptions = {}): EventBus {
  const logger = options.logger ?? createLogger('bus', 'silent');
  const queues = new Map<string, Queue>();
  const subscriptions = new Set<Subscription>();
  const retryTimers = new Set<NodeJS.Timeout>();
  let closing: Promise<void> | null = null;

  function queueNamed(name: string): Queue {
    let queue = queues.get(name);
    if (!queue) {
      queue = { name, bindings: new Set(), ready: [], consumers: [], nextConsumer: 0, dispatchScheduled: false, deadLetters: [] };
      queues.set(name, queue);
    }
    return queue;
  }

  function scheduleDispatch(queue: Queue): void {
    if (queue.dispatchScheduled) return;
    queue.dispatchScheduled = true;
    // Never deliver inside publish(): the publisher's transaction or request must not run handlers.
    setImmediate(() => {
      queue.dispatchScheduled = false;
      dispatch(queue);
    });
  }

  function dispatch(queue: Queue): void {
    while (queue.ready.length > 0) {
      const consumer = nextAvailableConsumer(queue);
      if (!consumer) return;
      deliver(queue, consumer, queue.ready.shift()!);
    }
  }

  function nextAvailableConsumer(queue: Queue): Consumer | undefined {
    for (let tried = 0; tried < queue.consumers.length; tried++) {
      const index = (queue.nextConsumer + tried) % queue.consumers.length;
      const consumer = queue.consumers[index]!;
      if (consumer.inFlight.size < consumer.prefetch) {
        queue.nextConsumer = (index + 1) % queue.consumers.length;
        return consumer;
      }
    }
    return undefined;
  }

  function deliver(queue: Queue, consumer: Consumer, message: QueuedMessage): void {
    const handled = (async () => {
      try {
        await consumer.handler({ envelope: structuredClone(message.envelope), headers: { ...message.headers }, attempt: message.attempt });
      } catch (error) {
        settleFailure(queue, consumer, message, error);
      }
    })();
    consumer.inFlight.add(handled);
    void handled.finally(() => {
      consumer.inFlight.delete(handled);
      if (queue.ready.length > 0) scheduleDispatch(queue);
    });
  }

  function settleFailure(queue: Queue, consumer: Consumer, message: QueuedMessage, error: unknown): void {
    const reason = errorMessage(error);
    const event = { queue: queue.name, eventId: message.envelope.id, type: message.envelope.type, attempt: message.attempt };
    const delay = consumer.retryDelaysMs[message.attempt - 1];
    if (delay === undefined) {
      queue.deadLetters.push({ envelope: message.envelope, headers: message.headers, reason, deadAt: new Date().toISOString() });
      logger.error({ ...event, err: error }, 'event handler failed for the last time; dead-lettered');
      return;
    }
    logger.warn({ ...event, err: error, retryInMs: delay }, 'event handler failed; will retry');
    const timer = setTimeout(() => {
      retryTimers.delete(timer);
      queue.ready.push({ ...message, attempt: message.attempt + 1 });
      scheduleDispatch(queue);
    }, delay);
    retryTimers.add(timer);
  }

  function assertOpen(): void {
    if (closing) throw new Error('event bus is closed');
  }

  const deadLetters: DeadLetterQueue = {
    async count(queue) {
      return queues.get(queue)?.deadLetters.length ?? 0;
    },
    async list(queue, limit = 100) {
      return structuredClone(queues.get(queue)?.deadLetters.slice(0, limit) ?? []);
    },
    async replay(queue) {
      const target = queues.get(queue);
      if (!target) return 0;
      const replayed = target.deadLetters.splice(0);
      for (const dead of replayed) target.ready.push({ envelope: dead.envelope, headers: dead.headers, attempt: 1 });
      if (replayed.length > 0) scheduleDispatch(target);
      return replayed.length;
    },
    async purge(queue) {
      return queues.get(queue)?.deadLetters.splice(0).length ?? 0;
    },
  };

  return {
    kind: 'in-process',
    deadLetters,

    async publish(envelope, headers = {}) {
      assertOpen();
      for (const queue of queues.values()) {
        if (![...queue.bindings].some((pattern) => topicMatches(pattern, envelope.type))) continue;
        queue.ready.push({ envelope: structuredClone(envelope), headers: { ...headers }, attempt: 1 });
        scheduleDispatch(queue);
      }
    },

    async consume(name, types, handler, consumeOptions: ConsumeOptions = {}) {
      assertOpen();
      const queue = queueNamed(name);
      for (const type of types) queue.bindings.add(type);
      const consumer: Consumer = {
        handler,
        prefetch: Math.max(1, consumeOptions.prefetch ?? DEFAULT_PREFETCH),
        retryDelaysMs: consumeOptions.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS,
        inFlight: new Set(),
      };
      queue.consumers.push(consumer);
      scheduleDispatch(queue);

      let stopping: Promise<void> | null = null;
      const subscription: Subscription = {
        stop() {
          stopping ??= (async () => {
            queue.consumers = queue.consumers.filter((other) => other !== consumer);
            queue.nextConsumer = 0;
            await Promise.allSettled([...consumer.inFlight]);
            subscriptions.delete(subscription);
          })();
          return stopping;
        },
      };
      subscriptions.add(subscription);
      return subscription;
    },

    async isReady() {
      return !closing;
    },

    close() {
      closing ??= (async () => {
        await Promise.all([...subscriptions].map((subscription) => subscription.stop()));
        for (const timer of retryTimers) clearTimeout(timer);
        retryTimers.clear();
      })();
      return closing;
    },
  };
}
