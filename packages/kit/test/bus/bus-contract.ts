/**
 * The one contract every EventBus adapter passes (in-process in embedded mode, RabbitMQ when
 * distributed), so the embedded default cannot drift from production.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { createEvent } from '../../src/bus/outbox.ts';
import type { EventBus, EventEnvelope } from '../../src/bus/types.ts';
import { gate, recorder, sleep, waitUntil } from './support.ts';

export interface BusHarness {
  bus: EventBus;
  /** A queue name unique to this test; the harness removes it (and its retry/dead-letter queues). */
  queue(): string;
  /** Closes the bus and removes what the test declared. */
  dispose(): Promise<void>;
}

/** The retry delays every contract case uses, so a harness knows which retry queues to remove. */
export const CONTRACT_RETRY_DELAYS_MS = [20, 40];

const event = (type: string, data: unknown = {}): EventEnvelope => createEvent(type, data, { producer: 'contract-test' });

export function describeBusContract(adapter: string, open: () => Promise<BusHarness>, options: { skip?: string | false } = {}): void {
  void describe(`EventBus contract: ${adapter}`, { skip: options.skip }, () => {
    let harness: BusHarness;
    let bus: EventBus;
    beforeEach(async () => {
      harness = await open();
      bus = harness.bus;
    });
    afterEach(async () => {
      await harness.dispose();
    });

    void it('delivers only the types a queue is bound to', async () => {
      const queue = harness.queue();
      const seen = recorder();
      await bus.consume(queue, ['order.created'], seen.handler, { prefetch: 1 });
      await bus.publish(event('order.cancelled'));
      await bus.publish(event('order.created.v2'));
      const wanted = event('order.created', { n: 1 });
      await bus.publish(wanted);
      await seen.waitForCount(1);
      await sleep(100);
      assert.deepEqual(seen.ids(), [wanted.id]);
      assert.deepEqual(seen.deliveries[0]!.envelope, wanted);
      assert.equal(seen.deliveries[0]!.attempt, 1);
    });

    void it('routes `*` to exactly one word and `#` to any number, as AMQP topics do', async () => {
      const oneWord = recorder();
      const anyWords = recorder();
      await bus.consume(harness.queue(), ['post.*'], oneWord.handler);
      await bus.consume(harness.queue(), ['payment.#'], anyWords.handler);
      const post = event('post.liked');
      const deepPost = event('post.liked.twice');
      const payment = event('payment.refund.partial');
      for (const envelope of [post, deepPost, payment, event('order.created')]) await bus.publish(envelope);
      await oneWord.waitForCount(1);
      await anyWords.waitForCount(1);
      await sleep(100);
      assert.deepEqual(oneWord.ids(), [post.id]);
      assert.deepEqual(anyWords.ids(), [payment.id]);
    });

    void it('gives every bound queue its own copy of an event', async () => {
      const first = recorder(async (delivery) => {
        (delivery.envelope.data as { touched?: boolean }).touched = true;
      });
      const second = recorder();
      await bus.consume(harness.queue(), ['user.registered'], first.handler);
      await bus.consume(harness.queue(), ['user.registered'], second.handler);
      const registered = event('user.registered', { userId: 'u1' });
      await bus.publish(registered);
      await first.waitForCount(1);
      await second.waitForCount(1);
      await sleep(50);
      assert.deepEqual(second.deliveries[0]!.envelope.data, { userId: 'u1' });
      assert.deepEqual(registered.data, { userId: 'u1' }, 'the publisher keeps its own object');
    });

    void it('shares one queue between competing consumers, each event going to one of them', async () => {
      const queue = harness.queue();
      const slow = async () => sleep(15);
      const a = recorder(slow);
      const b = recorder(slow);
      await bus.consume(queue, ['like.added'], a.handler, { prefetch: 1 });
      await bus.consume(queue, ['like.added'], b.handler, { prefetch: 1 });
      const published = Array.from({ length: 20 }, (_, n) => event('like.added', { n }));
      for (const envelope of published) await bus.publish(envelope);
      await waitUntil(() => a.deliveries.length + b.deliveries.length >= 20, 'all 20 deliveries');
      await sleep(100);
      const all = [...a.ids(), ...b.ids()];
      assert.equal(all.length, 20, 'no event delivered twice');
      assert.deepEqual(new Set(all), new Set(published.map((envelope) => envelope.id)));
      assert.ok(a.deliveries.length > 0 && b.deliveries.length > 0, `both consumers worked (a=${a.deliveries.length}, b=${b.deliveries.length})`);
    });

    void it('keeps events for a bound queue while nobody consumes it, and drops those published before it existed', async () => {
      const queue = harness.queue();
      const early = event('stock.reserved');
      await bus.publish(early);
      const first = await bus.consume(queue, ['stock.reserved'], async () => undefined);
      await first.stop();
      const whileAway = event('stock.reserved');
      await bus.publish(whileAway);
      const later = recorder();
      await bus.consume(queue, ['stock.reserved'], later.handler);
      await later.waitForCount(1);
      await sleep(100);
      assert.deepEqual(later.ids(), [whileAway.id]);
    });

    void it('passes application headers through and keeps its own bookkeeping out of them', async () => {
      const seen = recorder(async (delivery) => {
        if (delivery.attempt === 1) throw new Error('first try fails');
      });
      await bus.consume(harness.queue(), ['comment.created'], seen.handler, { retryDelaysMs: CONTRACT_RETRY_DELAYS_MS });
      const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
      await bus.publish(event('comment.created'), { traceparent });
      await seen.waitForCount(2);
      for (const delivery of seen.deliveries) assert.deepEqual(delivery.headers, { traceparent });
      assert.deepEqual(
        seen.deliveries.map((delivery) => delivery.attempt),
        [1, 2],
      );
    });

    void it('retries a failing delivery after each delay, then parks it in the dead-letter queue with the reason', async () => {
      const queue = harness.queue();
      const times: number[] = [];
      const failing = recorder(async () => {
        times.push(Date.now());
        throw new Error('handler exploded');
      });
      await bus.consume(queue, ['payment.failed'], failing.handler, { retryDelaysMs: CONTRACT_RETRY_DELAYS_MS });
      const poison = event('payment.failed', { orderId: 'o1' });
      await bus.publish(poison, { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' });
      await failing.waitForCount(3);
      await waitUntil(async () => (await bus.deadLetters.count(queue)) === 1, 'the dead letter');
      await sleep(100);
      assert.deepEqual(
        failing.deliveries.map((delivery) => delivery.attempt),
        [1, 2, 3],
        'one first attempt and one per retry delay, no more',
      );
      assert.ok(times[1]! - times[0]! >= 15, `first retry waited ${times[1]! - times[0]!} ms`);
      assert.ok(times[2]! - times[1]! >= 35, `second retry waited ${times[2]! - times[1]!} ms`);
      const [letter, ...more] = await bus.deadLetters.list(queue);
      assert.equal(more.length, 0);
      assert.deepEqual(letter!.envelope, poison);
      assert.equal(letter!.reason, 'handler exploded');
      assert.deepEqual(letter!.headers, { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' });
      assert.ok(!Number.isNaN(Date.parse(letter!.deadAt)));
      assert.equal(await bus.deadLetters.count(queue), 1, 'listing does not consume');
    });

    void it('replays dead letters onto the queue with a fresh attempt count', async () => {
      const queue = harness.queue();
      let broken = true;
      const seen = recorder(async () => {
        if (broken) throw new Error('not yet');
      });
      await bus.consume(queue, ['order.confirmed'], seen.handler, { retryDelaysMs: [10] });
      const confirmed = event('order.confirmed');
      await bus.publish(confirmed);
      await waitUntil(async () => (await bus.deadLetters.count(queue)) === 1, 'the dead letter');
      broken = false;
      assert.equal(await bus.deadLetters.replay(queue), 1);
      await seen.waitForCount(3);
      await sleep(100);
      assert.equal(seen.deliveries.length, 3, 'the replayed delivery succeeded at once');
      assert.equal(seen.deliveries[2]!.envelope.id, confirmed.id);
      assert.equal(seen.deliveries[2]!.attempt, 1);
      assert.equal(await bus.deadLetters.count(queue), 0);
      assert.equal(await bus.deadLetters.replay(queue), 0);
    });

    void it('purges dead letters for good', async () => {
      const queue = harness.queue();
      const failing = recorder(async () => {
        throw new Error('always');
      });
      await bus.consume(queue, ['media.deleted'], failing.handler, { retryDelaysMs: [] });
      await bus.publish(event('media.deleted'));
      await bus.publish(event('media.deleted'));
      await waitUntil(async () => (await bus.deadLetters.count(queue)) === 2, 'two dead letters');
      assert.equal(await bus.deadLetters.purge(queue), 2);
      assert.equal(await bus.deadLetters.count(queue), 0);
      assert.equal(await bus.deadLetters.replay(queue), 0);
      await sleep(100);
      assert.equal(failing.deliveries.length, 2);
    });

    void it('reports an empty dead-letter queue for a queue nobody declared', async () => {
      const queue = harness.queue();
      assert.equal(await bus.deadLetters.count(queue), 0);
      assert.deepEqual(await bus.deadLetters.list(queue), []);
      assert.equal(await bus.deadLetters.purge(queue), 0);
    });

    void it('stops a subscription only after its in-flight handler settled, and delivers nothing to it afterwards', async () => {
      const queue = harness.queue();
      const held = gate();
      let finished = 0;
      const seen = recorder(async () => {
        await held.opened;
        finished += 1;
      });
      const subscription = await bus.consume(queue, ['post.deleted'], seen.handler);
      await bus.publish(event('post.deleted'));
      await seen.waitForCount(1);
      let stopped = false;
      const stopping = subscription.stop().then(() => (stopped = true));
      await sleep(100);
      assert.equal(stopped, false, 'stop() waits for the handler');
      held.open();
      await stopping;
      assert.equal(finished, 1);
      await bus.publish(event('post.deleted'));
      await sleep(150);
      assert.equal(seen.deliveries.length, 1);
      // The handler finished before stop() resolved, so its delivery was acknowledged, not requeued.
      const next = recorder();
      await bus.consume(queue, ['post.deleted'], next.handler);
      await next.waitForCount(1);
      await sleep(100);
      assert.equal(next.deliveries.length, 1);
    });

    void it('respects prefetch', async () => {
      const held = gate();
      let running = 0;
      let most = 0;
      const seen = recorder(async () => {
        running += 1;
        most = Math.max(most, running);
        await held.opened;
        running -= 1;
      });
      await bus.consume(harness.queue(), ['cart.updated'], seen.handler, { prefetch: 2 });
      for (let n = 0; n < 6; n++) await bus.publish(event('cart.updated', { n }));
      await seen.waitForCount(2);
      await sleep(100);
      assert.equal(seen.deliveries.length, 2, 'no more than prefetch in flight');
      held.open();
      await seen.waitForCount(6);
      assert.equal(most, 2);
    });

    void it('is ready while open; after close() (which may be repeated) it refuses to publish or consume', async () => {
      assert.equal(await bus.isReady(), true);
      await bus.close();
      await bus.close();
      assert.equal(await bus.isReady(), false);
      await assert.rejects(bus.publish(event('user.deleted')));
      await assert.rejects(bus.consume(harness.queue(), ['user.deleted'], async () => undefined));
    });
  });
}
