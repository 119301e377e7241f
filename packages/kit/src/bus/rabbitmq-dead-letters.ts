/**
 * Dead-letter queue operations on `<queue>.dlq` with plain AMQP (basic.get), so they need no
 * management plugin. Each operation uses its own short-lived channel: a missing queue makes the
 * broker close the channel, which must not disturb publishing or consuming.
 */
import type { ConfirmChannel, GetMessage } from 'amqplib';
import { ATTEMPT_HEADER, DEAD_AT_HEADER, DEATH_REASON_HEADER, applicationHeaders, asError, headerText } from './message-headers.ts';
import { deadLetterQueueName } from './rabbitmq-topology.ts';
import type { DeadLetter, DeadLetterQueue, EventEnvelope } from './types.ts';

export function createRabbitDeadLetters(openChannel: () => Promise<ConfirmChannel>): DeadLetterQueue {
  async function withChannel<T>(work: (channel: ConfirmChannel) => Promise<T>): Promise<T> {
    const channel = await openChannel();
    channel.on('error', () => undefined);
    try {
      return await work(channel);
    } finally {
      await channel.close().catch(() => undefined);
    }
  }

  /** Ready messages in the dead-letter queue; 0 when it was never declared. */
  async function depth(channel: ConfirmChannel, queue: string): Promise<number> {
    try {
      return (await channel.checkQueue(deadLetterQueueName(queue))).messageCount;
    } catch (error) {
      if ((error as { code?: unknown }).code === 404) return -1;
      throw error;
    }
  }

  return {
    async count(queue) {
      return withChannel(async (channel) => Math.max(0, await depth(channel, queue)));
    },

    async list(queue, limit = 100) {
      return withChannel(async (channel) => {
        const available = await depth(channel, queue);
        const letters: DeadLetter[] = [];
        for (let i = 0; i < Math.min(limit, available); i++) {
          const message = await channel.get(deadLetterQueueName(queue), { noAck: false });
          if (!message) break;
          letters.push(toDeadLetter(message));
        }
        // Peeking only: everything taken goes back, in its place.
        if (letters.length > 0) channel.nackAll(true);
        return letters;
      });
    },

    async replay(queue) {
      return withChannel(async (channel) => {
        // Bounded by the depth seen now, so a message that dies again during replay isn't re-sent.
        const available = await depth(channel, queue);
        let replayed = 0;
        for (let i = 0; i < available; i++) {
          const message = await channel.get(deadLetterQueueName(queue), { noAck: false });
          if (!message) break;
          await resend(channel, queue, message);
          channel.ack(message);
          replayed += 1;
        }
        return replayed;
      });
    },

    async purge(queue) {
      return withChannel(async (channel) => {
        if ((await depth(channel, queue)) < 0) return 0;
        return (await channel.purgeQueue(deadLetterQueueName(queue))).messageCount;
      });
    },
  };
}

function toDeadLetter(message: GetMessage): DeadLetter {
  const raw = message.properties.headers;
  return {
    envelope: parseEnvelope(message),
    headers: applicationHeaders(raw),
    reason: headerText(raw?.[DEATH_REASON_HEADER] ?? 'unknown'),
    deadAt: headerText(raw?.[DEAD_AT_HEADER] ?? ''),
  };
}

/** Back onto the consumer's queue through the default exchange, with the attempt count reset. */
function resend(channel: ConfirmChannel, queue: string, message: GetMessage): Promise<void> {
  const { messageId, contentType, type, timestamp } = message.properties;
  const headers = { ...applicationHeaders(message.properties.headers), [ATTEMPT_HEADER]: 1 };
  return new Promise((resolve, reject) => {
    channel.sendToQueue(queue, message.content, { persistent: true, messageId, contentType, type, timestamp, headers }, (error: unknown) =>
      error ? reject(asError(error)) : resolve(),
    );
  });
}

/** A body that isn't JSON was dead-lettered for exactly that reason; show it rather than fail the listing. */
function parseEnvelope(message: GetMessage): EventEnvelope {
  const body = message.content.toString('utf8');
  try {
    return JSON.parse(body) as EventEnvelope;
  } catch {
    const id = String(message.properties.messageId ?? '');
    return { id, type: String(message.properties.type ?? ''), version: 0, occurredAt: '', producer: '', correlationId: id, data: body };
  }
}
