/**
 * Removing a namespace's exchange and queues from RabbitMQ (see RabbitBusOptions.namespace):
 * what a test run or a benchmark that had a platform of its own on a shared broker leaves
 * behind. Queues are durable, so without this every run would leave a set of them.
 */
import { connect } from 'amqplib';
import { DEFAULT_RETRY_DELAYS_MS } from './delivery-defaults.ts';
import { deadLetterQueueName, retryQueueName } from './rabbitmq-topology.ts';

export async function deleteNamespace(options: { url: string; namespace: string; queues: string[]; retryDelaysMs?: readonly number[] }): Promise<void> {
  const connection = await connect(options.url);
  try {
    const channel = await connection.createChannel();
    for (const name of options.queues) {
      const queue = `${options.namespace}.${name}`;
      for (const delayMs of options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS) await channel.deleteQueue(retryQueueName(queue, delayMs));
      await channel.deleteQueue(deadLetterQueueName(queue));
      await channel.deleteQueue(queue);
    }
    await channel.deleteExchange(`${options.namespace}.events`);
    await channel.close();
  } finally {
    await connection.close();
  }
}
