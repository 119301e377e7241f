/**
 * The RabbitMQ adapter against a real broker: the shared contract, then what only a broker can
 * do to us — going away and coming back.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { DEFAULT_RETRY_DELAYS_MS } from '../../src/bus/delivery-defaults.ts';
import { createEvent } from '../../src/bus/outbox.ts';
import { createRabbitBus } from '../../src/bus/rabbitmq-bus.ts';
import type { EventBus } from '../../src/bus/types.ts';
import { CONTRACT_RETRY_DELAYS_MS, describeBusContract } from './bus-contract.ts';
import { deleteRabbitTopology, holdBroker, recorder, sleep, startRabbit, stopRabbit, testLogger, uniqueName, waitUntil } from './support.ts';

const url = process.env.AMQP_URL ?? '';
const skip = !process.env.AMQP_URL && 'AMQP_URL not set';
// These tests share (and some restart) the one test broker: files take turns holding it.
let releaseBroker: (() => Promise<void>) | undefined;
before(async () => {
  if (process.env.AMQP_URL) releaseBroker = await holdBroker();
});
after(async () => {
  await releaseBroker?.();
});

const RETRY_QUEUES_OF_ANY_TEST = [...CONTRACT_RETRY_DELAYS_MS, 10, ...DEFAULT_RETRY_DELAYS_MS];

describeBusContract(
  'rabbitmq',
  async () => {
    const exchange = uniqueName('agora.test.contract');
    const queues: string[] = [];
    const bus = await createRabbitBus({ url, exchange, logger: testLogger() });
    return {
      bus,
      queue: () => {
        const queue = uniqueName('test.contract');
        queues.push(queue);
        return queue;
      },
      async dispose() {
        await bus.close();
        await deleteRabbitTopology(url, queues, RETRY_QUEUES_OF_ANY_TEST, [exchange]);
      },
    };
  },
  { skip },
);

void describe('RabbitMQ bus across a broker restart', { skip }, () => {
  let bus: EventBus;
  let exchange: string;
  let queue: string;
  beforeEach(async () => {
    exchange = uniqueName('agora.test.restart');
    queue = uniqueName('test.restart');
    bus = await createRabbitBus({ url, exchange, logger: testLogger(), reconnect: { initialDelayMs: 100, maxDelayMs: 1_000 }, adminTimeoutMs: 500 });
  });
  afterEach(async () => {
    await startRabbit(url);
    await bus.close();
    await deleteRabbitTopology(url, [queue], [50], [exchange]);
  });
  after(async () => {
    await startRabbit(url);
  });

  void it('refuses to publish promptly while the broker is down, then resumes publishing and consuming', async () => {
    const seen = recorder();
    await bus.consume(queue, ['order.created'], seen.handler, { retryDelaysMs: [50] });
    const before = createEvent('order.created', { n: 1 }, { producer: 'test' });
    await bus.publish(before);
    await seen.waitForCount(1);

    await stopRabbit();
    await waitUntil(async () => !(await bus.isReady()), 'the bus to notice the outage');
    const started = Date.now();
    await assert.rejects(bus.publish(createEvent('order.created', { n: 2 }, { producer: 'test' })));
    assert.ok(Date.now() - started < 1_000, 'publish during an outage fails fast instead of hanging');
    await assert.rejects(bus.deadLetters.count(queue), 'admin operations give up too');

    await startRabbit(url);
    await waitUntil(() => bus.isReady(), 'the bus to reconnect', 30_000);
    const afterwards = createEvent('order.created', { n: 3 }, { producer: 'test' });
    // The subscription re-attaches on its own schedule; publish until it is consuming again.
    await bus.publish(afterwards);
    await seen.waitForCount(2, 15_000);
    assert.deepEqual(seen.ids(), [before.id, afterwards.id]);
  });

  void it('keeps a delivery that was in flight when the broker went away, and redelivers it', async () => {
    let calls = 0;
    const seen = recorder(async () => {
      calls += 1;
      // The first delivery is still running when the connection dies, so its ack is lost.
      if (calls === 1) await sleep(1_500);
    });
    await bus.consume(queue, ['stock.released'], seen.handler, { retryDelaysMs: [50] });
    const released = createEvent('stock.released', {}, { producer: 'test' });
    await bus.publish(released);
    await seen.waitForCount(1);
    await stopRabbit();
    await startRabbit(url);
    await seen.waitForCount(2, 30_000);
    assert.deepEqual(seen.ids(), [released.id, released.id]);
  });

  void it('closes without hanging while the broker is down', async () => {
    await bus.consume(queue, ['order.created'], async () => undefined, { retryDelaysMs: [50] });
    await stopRabbit();
    await waitUntil(async () => !(await bus.isReady()), 'the bus to notice the outage');
    const started = Date.now();
    await bus.close();
    assert.ok(Date.now() - started < 2_000, `close took ${Date.now() - started} ms`);
  });
});

void describe('createRabbitBus', { skip }, () => {
  void it('gives up at start when the broker cannot be reached', async () => {
    await assert.rejects(createRabbitBus({ url: 'amqp://guest:guest@127.0.0.1:1', startupTimeoutMs: 500, logger: testLogger() }), /could not connect to RabbitMQ/);
  });
});
