/**
 * The distributed mode's event bus on RabbitMQ (amqplib): one durable topic exchange, routing
 * key = event type, persistent JSON messages published on a confirm channel. The connection
 * heals itself after a broker restart and every subscription resumes; while it is down,
 * publish() rejects at once so the outbox relay keeps the event and tries again later.
 */
import type { ConfirmChannel } from 'amqplib';
import { createLogger, type Logger } from '../logger.ts';
import { DEFAULT_PREFETCH, DEFAULT_RETRY_DELAYS_MS } from './delivery-defaults.ts';
import { asError, errorMessage } from './message-headers.ts';
import { openRabbitConnection } from './rabbitmq-connection.ts';
import { createRabbitDeadLetters } from './rabbitmq-dead-letters.ts';
import { startRabbitSubscription } from './rabbitmq-subscription.ts';
import { declareExchange } from './rabbitmq-topology.ts';
import type { EventBus, Subscription } from './types.ts';

export interface RabbitBusOptions {
  url: string;
  /** The topic exchange every service publishes to (default `<namespace>.events`). */
  exchange?: string;
  /**
   * Keeps several platforms on one broker apart (test runs, benchmarks, staging beside dev):
   * the exchange becomes `<namespace>.events` and every queue `<namespace>.<queue>`. Without
   * it, the exchange is `agora.events` and queues are named after their service.
   */
  namespace?: string;
  logger?: Logger;
  /** Shown in the management UI's connection list. */
  connectionName?: string;
  /** A publish the broker hasn't confirmed by then is reported failed (the outbox retries it). */
  publishTimeoutMs?: number;
  /** How long a dead-letter operation waits for the connection during an outage. */
  adminTimeoutMs?: number;
  reconnect?: { initialDelayMs?: number; maxDelayMs?: number };
  /** How long to wait for the first connection before giving up (a process should then exit and be restarted). */
  startupTimeoutMs?: number;
}

/** Resolves once connected; later outages are healed in the background. */
export async function createRabbitBus(options: RabbitBusOptions): Promise<EventBus> {
  const exchange = options.exchange ?? `${options.namespace ?? 'agora'}.events`;
  const queueName = (queue: string) => (options.namespace ? `${options.namespace}.${queue}` : queue);
  const deadLetters = createRabbitDeadLetters(async () => (await connection.whenConnected(adminTimeoutMs)).createConfirmChannel());
  const logger = options.logger ?? createLogger('bus', 'silent');
  const publishTimeoutMs = options.publishTimeoutMs ?? 10_000;
  const adminTimeoutMs = options.adminTimeoutMs ?? 5_000;
  const subscriptions = new Set<Subscription>();
  let publisher: ConfirmChannel | null = null;
  let closing: Promise<void> | null = null;

  const connection = openRabbitConnection({
    url: options.url,
    logger,
    connectionName: options.connectionName,
    initialDelayMs: options.reconnect?.initialDelayMs,
    maxDelayMs: options.reconnect?.maxDelayMs,
    async setup(model) {
      const channel = await model.createConfirmChannel();
      channel.on('error', (error: Error) => logger.warn({ err: error }, 'publisher channel error'));
      channel.once('close', () => {
        if (publisher !== channel) return;
        publisher = null;
        // The channel died but the connection didn't (e.g. the exchange was deleted): start over
        // so setup re-declares the exchange and opens a new publisher.
        if (!closing && connection.current() === model) void model.close().catch(() => undefined);
      });
      await declareExchange(channel, exchange);
      publisher = channel;
    },
  });

  try {
    await connection.whenConnected(options.startupTimeoutMs ?? 30_000);
  } catch (error) {
    await connection.close();
    throw new Error(`could not connect to RabbitMQ: ${errorMessage(error)}`, { cause: error });
  }

  return {
    kind: 'rabbitmq',
    deadLetters: {
      count: (queue) => deadLetters.count(queueName(queue)),
      list: (queue, limit) => deadLetters.list(queueName(queue), limit),
      replay: (queue) => deadLetters.replay(queueName(queue)),
      purge: (queue) => deadLetters.purge(queueName(queue)),
    },

    publish(envelope, headers = {}) {
      if (closing) return Promise.reject(new Error('event bus is closed'));
      const channel = publisher;
      if (!channel || !connection.current()) return Promise.reject(new Error('rabbitmq is not connected'));
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`publish of ${envelope.id} not confirmed within ${publishTimeoutMs} ms`)), publishTimeoutMs);
        try {
          channel.publish(
            exchange,
            envelope.type,
            Buffer.from(JSON.stringify(envelope)),
            { persistent: true, messageId: envelope.id, type: envelope.type, contentType: 'application/json', timestamp: Math.floor(Date.now() / 1000), headers },
            (error: unknown) => {
              clearTimeout(timer);
              if (error) reject(error instanceof Error ? error : new Error(`publish of ${envelope.id} was nacked by the broker`));
              else resolve();
            },
          );
        } catch (error) {
          clearTimeout(timer);
          reject(asError(error));
        }
      });
    },

    async consume(queue, types, handler, consumeOptions = {}) {
      if (closing) throw new Error('event bus is closed');
      const { subscription, attached } = startRabbitSubscription({
        connection,
        exchange,
        queue: queueName(queue),
        types,
        handler,
        prefetch: Math.max(1, consumeOptions.prefetch ?? DEFAULT_PREFETCH),
        retryDelaysMs: consumeOptions.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS,
        logger,
      });
      const tracked: Subscription = {
        async stop() {
          await subscription.stop();
          subscriptions.delete(tracked);
        },
      };
      subscriptions.add(tracked);
      try {
        await attached;
      } catch (error) {
        await tracked.stop();
        throw error;
      }
      return tracked;
    },

    async isReady() {
      return !closing && publisher !== null && connection.current() !== null;
    },

    close() {
      closing ??= (async () => {
        await Promise.allSettled([...subscriptions].map((subscription) => subscription.stop()));
        await publisher?.waitForConfirms().catch(() => undefined);
        await connection.close();
      })();
      return closing;
    },
  };
}
