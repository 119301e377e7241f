/**
 * Queue names and declarations for one consumer queue on RabbitMQ:
 *
 *   <exchange> (topic) --type--> <queue> --handler fails--> <queue>.retry.<ms> --TTL--> <queue>
 *                                        --last retry fails--> <queue>.dlq
 *
 * Retry queues hold a message for their TTL and then dead-letter it back to `<queue>` through
 * the default exchange, so backoff needs no plugin and survives a consumer restart. One retry
 * queue per delay because RabbitMQ only expires messages at the head of a queue.
 */
import type { Channel } from 'amqplib';

export const retryQueueName = (queue: string, delayMs: number): string => `${queue}.retry.${delayMs}`;
export const deadLetterQueueName = (queue: string): string => `${queue}.dlq`;

export async function declareExchange(channel: Channel, exchange: string): Promise<void> {
  await channel.assertExchange(exchange, 'topic', { durable: true });
}

export async function declareConsumerQueue(
  channel: Channel,
  topology: { exchange: string; queue: string; types: readonly string[]; retryDelaysMs: readonly number[] },
): Promise<void> {
  const { exchange, queue, types, retryDelaysMs } = topology;
  await declareExchange(channel, exchange);
  await channel.assertQueue(queue, { durable: true });
  for (const type of types) await channel.bindQueue(queue, exchange, type);
  for (const delayMs of new Set(retryDelaysMs)) {
    await channel.assertQueue(retryQueueName(queue, delayMs), {
      durable: true,
      arguments: { 'x-message-ttl': delayMs, 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': queue },
    });
  }
  await channel.assertQueue(deadLetterQueueName(queue), { durable: true });
}
