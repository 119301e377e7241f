import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { createEvent } from '../../src/bus/outbox.ts';
import { createRabbitBus } from '../../src/bus/rabbitmq-bus.ts';
import type { DeadLetter, EventBus } from '../../src/bus/types.ts';
import { deleteRabbitTopology, holdBroker, recorder, testLogger, uniqueName, waitUntil } from './support.ts';

const CLI = path.join(import.meta.dirname, '..', '..', 'src', 'bus', 'dlq-cli.ts');
const amqpUrl = process.env.AMQP_URL;

// These tests share (and some restart) the one test broker: files take turns holding it.
let releaseBroker: (() => Promise<void>) | undefined;
before(async () => {
  if (process.env.AMQP_URL) releaseBroker = await holdBroker();
});
after(async () => {
  await releaseBroker?.();
});

async function dlq(args: string[], env: Record<string, string | undefined> = { AMQP_URL: amqpUrl }) {
  const childEnv = { ...process.env, ...env };
  if (env.AMQP_URL === undefined) delete childEnv.AMQP_URL;
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, ...args], { env: childEnv, timeout: 30_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout: string; stderr: string };
    return { code: failed.code ?? -1, stdout: failed.stdout, stderr: failed.stderr };
  }
}

void describe('dlq command line', () => {
  void it('exits 2 with the usage when AMQP_URL is missing', async () => {
    const result = await dlq(['orders', 'count'], { AMQP_URL: undefined });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /AMQP_URL is not set/);
    assert.match(result.stderr, /usage: .*<queue> list\|count\|replay\|purge/);
  });

  void it('exits 2 with the usage for an unknown command or no queue', async () => {
    for (const args of [['orders', 'drop'], ['orders'], []]) {
      const result = await dlq(args, { AMQP_URL: 'amqp://127.0.0.1:1' });
      assert.equal(result.code, 2, `args ${JSON.stringify(args)}`);
      assert.match(result.stderr, /usage:/);
    }
  });
});

void describe('dlq command line against RabbitMQ', { skip: !amqpUrl && 'AMQP_URL not set' }, () => {
  const exchange = uniqueName('agora.test.dlq');
  const queue = uniqueName('test.dlq');
  let bus: EventBus;
  let broken = true;
  const seen = recorder(async () => {
    if (broken) throw new Error('still broken');
  });

  before(async () => {
    bus = await createRabbitBus({ url: amqpUrl!, exchange, logger: testLogger() });
    await bus.consume(queue, ['review.posted'], seen.handler, { retryDelaysMs: [] });
  });
  after(async () => {
    await bus?.close();
    await deleteRabbitTopology(amqpUrl!, [queue], [], [exchange]);
  });

  void it('counts, lists, replays and purges a queue’s dead letters', async () => {
    const first = createEvent('review.posted', { stars: 1 }, { producer: 'test' });
    const second = createEvent('review.posted', { stars: 5 }, { producer: 'test' });
    await bus.publish(first);
    await bus.publish(second);
    await waitUntil(async () => (await bus.deadLetters.count(queue)) === 2, 'two dead letters');

    assert.deepEqual(await dlq([queue, 'count']), { code: 0, stdout: '2\n', stderr: '' });
    const listed = await dlq([queue, 'list']);
    assert.equal(listed.code, 0);
    const letters = listed.stdout.trim().split('\n').map((line) => JSON.parse(line) as DeadLetter);
    assert.deepEqual(letters.map((letter) => letter.envelope.id).sort(), [first.id, second.id].sort());
    assert.ok(letters.every((letter) => letter.reason === 'still broken'));
    assert.equal((await dlq([queue, 'list', '--limit', '1'])).stdout.trim().split('\n').length, 1);

    broken = false;
    assert.deepEqual(await dlq([queue, 'replay']), { code: 0, stdout: '2\n', stderr: '' });
    await seen.waitForCount(4);
    assert.equal(await bus.deadLetters.count(queue), 0);

    broken = true;
    await bus.publish(createEvent('review.posted', {}, { producer: 'test' }));
    await waitUntil(async () => (await bus.deadLetters.count(queue)) === 1, 'one more dead letter');
    assert.deepEqual(await dlq([queue, 'purge']), { code: 0, stdout: '1\n', stderr: '' });
    assert.equal(await bus.deadLetters.count(queue), 0);
  });
});
