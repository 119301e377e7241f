/**
 * One consumer on one RabbitMQ queue, kept alive across connection losses: it waits for the
 * connection, declares its topology, consumes on its own confirm channel, and when that channel
 * dies it goes round again. Failed deliveries are republished to a retry queue or the
 * dead-letter queue, and the original is acked only after the broker confirmed the copy, so a
 * crash in between duplicates a message but never loses one.
 */
import type { ChannelModel, ConfirmChannel, ConsumeMessage } from 'amqplib';
import type { Logger } from '../logger.ts';
import { ATTEMPT_HEADER, DEAD_AT_HEADER, DEATH_REASON_HEADER, applicationHeaders, asError, errorMessage } from './message-headers.ts';
import type { RabbitConnection } from './rabbitmq-connection.ts';
import { deadLetterQueueName, declareConsumerQueue, retryQueueName } from './rabbitmq-topology.ts';
import type { DeliveryHandler, EventEnvelope, Subscription } from './types.ts';

export interface RabbitSubscriptionOptions {
  connection: RabbitConnection;
  exchange: string;
  queue: string;
  types: readonly string[];
  handler: DeliveryHandler;
  prefetch: number;
  retryDelaysMs: readonly number[];
  logger: Logger;
}

export interface StartedRabbitSubscription {
  subscription: Subscription;
  /** Settles when the queue is first declared, bound and consumed from (or can't be). */
  attached: Promise<void>;
}

const REATTACH_MAX_DELAY_MS = 5_000;

export function startRabbitSubscription(options: RabbitSubscriptionOptions): StartedRabbitSubscription {
  const { connection, queue, handler, retryDelaysMs } = options;
  const logger = options.logger.child({ queue });
  const inFlight = new Set<Promise<void>>();
  let stopped = false;
  let signalStop!: () => void;
  const stopSignal = new Promise<void>((resolve) => (signalStop = resolve));
  const attached = Promise.withResolvers<void>();
  let attachedOnce = false;

  async function consumeUntilChannelCloses(model: ChannelModel): Promise<void> {
    const channel = await model.createConfirmChannel();
    const channelClosed = new Promise<void>((resolve) => channel.once('close', () => resolve()));
    channel.on('error', (error: Error) => logger.warn({ err: error }, 'consumer channel error'));
    try {
      await declareConsumerQueue(channel, { exchange: options.exchange, queue, types: options.types, retryDelaysMs });
      await channel.prefetch(options.prefetch);
      const { consumerTag } = await channel.consume(queue, (message) => onMessage(channel, message), { noAck: false });
      if (attachedOnce) logger.info('resumed consuming');
      attachedOnce = true;
      attached.resolve();
      await Promise.race([channelClosed, stopSignal]);
      if (stopped) {
        // Cancel first so nothing new arrives, let in-flight handlers ack, then close.
        await channel.cancel(consumerTag).catch(() => undefined);
        await Promise.allSettled([...inFlight]);
      }
    } finally {
      await channel.close().catch(() => undefined);
    }
  }

  const running = (async () => {
    let failures = 0;
    while (!stopped) {
      let model: ChannelModel | null;
      try {
        model = await Promise.race([connection.whenConnected(), stopSignal.then(() => null)]);
      } catch (error) {
        if (!attachedOnce) attached.reject(error);
        return;
      }
      if (!model) break;
      try {
        await consumeUntilChannelCloses(model);
        failures = 0;
      } catch (error) {
        // A refusal from the broker on the first attach is a mistake of ours (say, a queue declared
        // elsewhere with other arguments): report it to consume() rather than retrying forever.
        if (!attachedOnce && isChannelRefusal(error)) {
          attached.reject(error);
          stopped = true;
          return;
        }
        logger.warn({ err: error }, `consumer attach failed: ${errorMessage(error)}`);
      }
      if (stopped) break;
      failures += 1;
      const delay = Math.min(REATTACH_MAX_DELAY_MS, 100 * 2 ** failures);
      await Promise.race([new Promise((resolve) => setTimeout(resolve, delay).unref()), stopSignal]);
    }
    if (!attachedOnce) attached.reject(new Error(`subscription to ${queue} stopped before it started`));
  })();

  function onMessage(channel: ConfirmChannel, message: ConsumeMessage | null): void {
    if (message === null) {
      // The broker cancelled us (queue deleted): drop the channel; the loop re-declares.
      void channel.close().catch(() => undefined);
      return;
    }
    const work = handle(channel, message);
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  }

  async function handle(channel: ConfirmChannel, message: ConsumeMessage): Promise<void> {
    const rawHeaders = message.properties.headers;
    const attempt = Number(rawHeaders?.[ATTEMPT_HEADER] ?? 1) || 1;
    const headers = applicationHeaders(rawHeaders);
    let envelope: EventEnvelope;
    try {
      envelope = JSON.parse(message.content.toString('utf8')) as EventEnvelope;
    } catch (error) {
      await settleFailure(channel, message, headers, attempt, new Error(`unparseable message body: ${errorMessage(error)}`), []);
      return;
    }
    try {
      await handler({ envelope, headers, attempt });
    } catch (error) {
      await settleFailure(channel, message, headers, attempt, error, retryDelaysMs);
      return;
    }
    acknowledge(channel, message);
  }

  async function settleFailure(
    channel: ConfirmChannel,
    message: ConsumeMessage,
    headers: Record<string, string>,
    attempt: number,
    error: unknown,
    delays: readonly number[],
  ): Promise<void> {
    const delay = delays[attempt - 1];
    const context = { messageId: message.properties.messageId, type: message.fields.routingKey, attempt, err: error };
    try {
      if (delay !== undefined) {
        await sendConfirmed(channel, retryQueueName(queue, delay), message, { ...headers, [ATTEMPT_HEADER]: attempt + 1 });
        logger.warn({ ...context, retryInMs: delay }, 'event handler failed; will retry');
      } else {
        const deadHeaders = { ...headers, [ATTEMPT_HEADER]: attempt, [DEATH_REASON_HEADER]: errorMessage(error), [DEAD_AT_HEADER]: new Date().toISOString() };
        await sendConfirmed(channel, deadLetterQueueName(queue), message, deadHeaders);
        logger.error(context, 'event handler failed for the last time; dead-lettered');
      }
    } catch (sendError) {
      // Left unacked: the broker redelivers the original once the channel is gone.
      logger.warn({ ...context, sendErr: sendError }, 'could not park failed delivery; it will be redelivered');
      return;
    }
    acknowledge(channel, message);
  }

  function acknowledge(channel: ConfirmChannel, message: ConsumeMessage): void {
    try {
      channel.ack(message);
    } catch {
      // The channel died after the handler ran: the broker redelivers, processed_events dedupes.
      logger.debug({ messageId: message.properties.messageId }, 'ack lost with its channel; expect a redelivery');
    }
  }

  let stopping: Promise<void> | null = null;
  const subscription: Subscription = {
    stop() {
      stopping ??= (async () => {
        stopped = true;
        signalStop();
        await running;
        await Promise.allSettled([...inFlight]);
      })();
      return stopping;
    },
  };
  // consume() reports a failed attach; a caller that never awaits it must not crash the process.
  attached.promise.catch(() => undefined);
  return { subscription, attached: attached.promise };
}

function sendConfirmed(channel: ConfirmChannel, queue: string, message: ConsumeMessage, headers: Record<string, unknown>): Promise<void> {
  return new Promise((resolve, reject) => {
    const { messageId, contentType, type, timestamp } = message.properties;
    channel.sendToQueue(queue, message.content, { persistent: true, messageId, contentType, type, timestamp, headers }, (error: unknown) =>
      error ? reject(asError(error)) : resolve(),
    );
  });
}

/** Channel-level refusals (access refused, not found, precondition failed) won't heal by retrying. */
function isChannelRefusal(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 403 || code === 404 || code === 405 || code === 406;
}
