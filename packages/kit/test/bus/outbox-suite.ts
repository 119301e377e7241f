/**
 * The outbox and idempotent consumers under the failures DESIGN names: a crash between commit and
 * publish, a broker restart mid-stream, duplicate delivery and a poison message. One suite, run on
 * PGlite + the in-process bus always and on PostgreSQL + RabbitMQ when both URLs are set.
 *
 * Producer and consumer get separate databases, as two services would.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { and, eq, sql } from 'drizzle-orm';
import { pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { Type } from 'typebox';
import { afterCommit } from '../../src/bus/after-commit.ts';
import { consumeEvents, type EventHandler } from '../../src/bus/consume-events.ts';
import { createInProcessBus } from '../../src/bus/in-process-bus.ts';
import { busMigrations, createEvent, enqueue, followUp } from '../../src/bus/outbox.ts';
import { createOutboxRelay, type OutboxRelay } from '../../src/bus/outbox-relay.ts';
import { outbox, processedEvents } from '../../src/bus/outbox.tables.ts';
import type { EventBus, EventEnvelope, Subscription } from '../../src/bus/types.ts';
import type { Database } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';
import { sleep, testLogger, uniqueName, waitUntil } from './support.ts';

/** Where a database lives, in the shape openDatabase (and the crashing fixture) take. */
export interface DatabaseTarget {
  service: string;
  url?: string;
  dataDir?: string;
}

export interface OutboxHarness {
  bus: EventBus;
  /** A database of its own, not opened yet; removed on dispose. */
  newTarget(role: string): Promise<DatabaseTarget>;
  open(target: DatabaseTarget): Promise<Database>;
  /** Queue (consumer) names for cleanup, recorded as the suite creates them. */
  track(queue: string): void;
  /** Stops and starts the broker, resolving when it accepts connections again. */
  restartBroker?: () => Promise<void>;
  dispose(): Promise<void>;
}

/** What a consumer's handler does in the tests: record the event in the consumer's database. */
const effects = pgTable('bus_test_effects', {
  consumer: text('consumer').notNull(),
  eventId: uuid('event_id').notNull(),
});

export const OUTBOX_SUITE_RETRY_DELAYS_MS = [20, 40];
const RETRY_DELAYS_MS = OUTBOX_SUITE_RETRY_DELAYS_MS;
const FIXTURE = path.join(import.meta.dirname, 'fixtures', 'commit-then-crash.ts');

export function describeOutboxSuite(
  name: string,
  openHarness: () => Promise<OutboxHarness>,
  options: { skip?: string | false; brokerRestart?: boolean } = {},
): void {
  void describe(`outbox and idempotent consumers: ${name}`, { skip: options.skip }, () => {
    let harness: OutboxHarness;
    let producerDb: Database;
    let consumerDb: Database;
    const cleanups: Array<() => Promise<void>> = [];

    before(async () => {
      harness = await openHarness();
      producerDb = await harness.open(await harness.newTarget('producer'));
      consumerDb = await harness.open(await harness.newTarget('consumer'));
      await migrate(producerDb, busMigrations);
      await migrate(consumerDb, busMigrations);
      await consumerDb.db.execute(sql`create table bus_test_effects (consumer text not null, event_id uuid not null)`);
    });
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    });
    after(async () => {
      await consumerDb?.close();
      await producerDb?.close();
      await harness?.dispose();
    });

    const event = (type: string, data: unknown = {}): EventEnvelope => createEvent(type, data, { producer: 'outbox-test' });

    /** Handlers that record their event in bus_test_effects, in the delivery's transaction. */
    const recordEffect =
      (consumer: string): EventHandler =>
      async (received, tx) => {
        await tx.insert(effects).values({ consumer, eventId: received.id });
      };

    async function effectsOf(consumer: string): Promise<string[]> {
      const rows = await consumerDb.db.select({ eventId: effects.eventId }).from(effects).where(eq(effects.consumer, consumer));
      return rows.map((row) => row.eventId);
    }

    async function consumer(
      types: string[],
      settings: {
        handler?: (consumerName: string) => EventHandler;
        prefetch?: number;
        schemas?: Parameters<typeof consumeEvents>[0]['schemas'];
        bus?: EventBus;
      } = {},
    ): Promise<{ name: string; subscription: Subscription; effects: () => Promise<string[]> }> {
      const consumerName = uniqueName('test.outbox');
      harness.track(consumerName);
      const handler = (settings.handler ?? recordEffect)(consumerName);
      const subscription = await consumeEvents({
        consumer: consumerName,
        database: consumerDb,
        bus: settings.bus ?? harness.bus,
        logger: testLogger(),
        handlers: Object.fromEntries(types.map((type) => [type, handler])),
        schemas: settings.schemas,
        retryDelaysMs: RETRY_DELAYS_MS,
        prefetch: settings.prefetch,
      });
      cleanups.push(() => subscription.stop());
      return { name: consumerName, subscription, effects: () => effectsOf(consumerName) };
    }

    function relay(database: Database, overrides: Partial<Parameters<typeof createOutboxRelay>[0]> = {}): OutboxRelay {
      const started = createOutboxRelay({ database, bus: harness.bus, logger: testLogger(), pollIntervalMs: 100, ...overrides });
      started.start();
      cleanups.push(() => started.stop());
      return started;
    }

    async function commitEvents(database: Database, events: EventEnvelope[]): Promise<void> {
      await database.transaction(async (tx) => {
        for (const envelope of events) await enqueue(tx, envelope);
      });
    }

    async function waitForIds(read: () => Promise<string[]>, ids: string[], timeoutMs = 10_000): Promise<void> {
      let seen: string[] = [];
      await waitUntil(
        async () => {
          seen = await read();
          return ids.every((id) => seen.includes(id));
        },
        `${ids.length} events (have ${seen.length})`,
        timeoutMs,
      );
    }

    void it('publishes events committed by a process that was killed before its relay ran', async () => {
      const target = await harness.newTarget('crashed');
      const orders = await consumer(['order.created']);
      const child = spawn(process.execPath, [FIXTURE], { env: { ...process.env, FIXTURE: JSON.stringify({ ...target, count: 5, type: 'order.created' }) } });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const signal = await new Promise<NodeJS.Signals | null>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('fixture did not die within 30 s')), 30_000);
        child.once('exit', (_code, exitSignal) => {
          clearTimeout(timer);
          resolve(exitSignal);
        });
      });
      assert.equal(signal, 'SIGKILL');
      const ids = JSON.parse(output) as string[];
      assert.equal(ids.length, 5);

      await sleep(200);
      assert.deepEqual(await orders.effects(), [], 'nothing was published before the crash');

      const restarted = await harness.open(target);
      cleanups.push(() => restarted.close());
      const restartedRelay = createOutboxRelay({ database: restarted, bus: harness.bus, logger: testLogger(), pollIntervalMs: 100 });
      assert.equal(await restartedRelay.backlog(), 5);
      restartedRelay.start();
      cleanups.push(() => restartedRelay.stop());
      await waitForIds(orders.effects, ids);
      await waitUntil(async () => (await restartedRelay.backlog()) === 0, 'an empty backlog');
      const rows = await restarted.db.select({ publishedAt: outbox.publishedAt, attempts: outbox.attempts }).from(outbox);
      assert.ok(rows.every((row) => row.publishedAt !== null && row.attempts === 1));
    });

    void it('processes a duplicated delivery once', async () => {
      const watch = observed(harness.bus);
      const likes = await consumer(['post.liked'], { prefetch: 1, bus: watch.bus });
      const liked = event('post.liked', { postId: 'p1' });
      await harness.bus.publish(liked);
      await harness.bus.publish(liked);
      await waitUntil(() => watch.handled.get(liked.id) === 2, 'both copies to be handled');
      assert.deepEqual(await likes.effects(), [liked.id]);
      assert.equal(await harness.bus.deadLetters.count(likes.name), 0, 'the copy was acknowledged, not failed');
    });

    void it('processes concurrent copies of one event once', async () => {
      const watch = observed(harness.bus);
      const likes = await consumer(['comment.liked'], {
        prefetch: 5,
        bus: watch.bus,
        handler: (consumerName) => async (received, tx) => {
          await recordEffect(consumerName)(received, tx);
          // Keeps the first transaction open while the other copies arrive and contend for the record.
          await sleep(50);
        },
      });
      const liked = event('comment.liked');
      await Promise.all(Array.from({ length: 5 }, () => harness.bus.publish(liked)));
      await waitUntil(() => watch.handled.get(liked.id) === 5, 'all five copies to be handled');
      assert.deepEqual(await likes.effects(), [liked.id]);
      const records = await consumerDb.db.select().from(processedEvents).where(eq(processedEvents.consumer, likes.name));
      assert.deepEqual(
        records.map((record) => record.eventId),
        [liked.id],
      );
      assert.equal(await harness.bus.deadLetters.count(likes.name), 0);
    });

    void it('parks a poison message after its retries, rolls back its writes, and processes it once when replayed', async () => {
      let broken = true;
      const attempts: number[] = [];
      const payments = await consumer(['payment.succeeded'], {
        handler: (consumerName) => async (received, tx) => {
          attempts.push(attempts.length + 1);
          await recordEffect(consumerName)(received, tx);
          if (broken) throw new Error('card processor said no');
        },
      });
      const paid = event('payment.succeeded', { orderId: 'o1' });
      await commitEvents(producerDb, [paid]);
      relay(producerDb);

      await waitUntil(async () => (await harness.bus.deadLetters.count(payments.name)) === 1, 'the dead letter');
      assert.equal(attempts.length, 1 + RETRY_DELAYS_MS.length, 'tried once, then once per retry delay');
      assert.deepEqual(await payments.effects(), [], 'every failed attempt was rolled back');
      const [letter] = await harness.bus.deadLetters.list(payments.name);
      assert.equal(letter!.envelope.id, paid.id);
      assert.equal(letter!.reason, 'card processor said no');

      broken = false;
      assert.equal(await harness.bus.deadLetters.replay(payments.name), 1);
      await waitForIds(payments.effects, [paid.id]);
      await harness.bus.publish(paid);
      await sleep(200);
      assert.deepEqual(await payments.effects(), [paid.id], 'processed exactly once, even when delivered again');
      assert.equal(await harness.bus.deadLetters.count(payments.name), 0);
    });

    void it('dead-letters an event whose data breaks its schema, without running the handler', async () => {
      let called = 0;
      const products = await consumer(['product.updated'], {
        schemas: { 'product.updated': Type.Object({ productId: Type.String(), price: Type.Number() }) },
        handler: () => async () => {
          called += 1;
        },
      });
      await harness.bus.publish(event('product.updated', { productId: 'p1', price: 'free' }));
      await waitUntil(async () => (await harness.bus.deadLetters.count(products.name)) === 1, 'the dead letter');
      const [letter] = await harness.bus.deadLetters.list(products.name);
      assert.match(letter!.reason, /invalid product\.updated data: \/price/);
      assert.equal(called, 0);
      await harness.bus.publish(event('product.updated', { productId: 'p1', price: 10 }));
      await waitUntil(() => called === 1, 'the valid event to be handled');
    });

    void it('commits follow-up events with the handler transaction, and not at all when it fails', async () => {
      const reservations = await consumer(['stock.reserved']);
      const catalog = await consumer(['order.created'], {
        handler: () => async (order, tx) => {
          await enqueue(tx, followUp(order, 'stock.reserved', { orderId: order.id }, 'catalog'));
          if ((order.data as { quantity: number }).quantity > 100) throw new Error('warehouse unreachable');
        },
      });
      relay(producerDb);
      relay(consumerDb);
      const fine = createEvent('order.created', { quantity: 1 }, { producer: 'orders', correlationId: 'checkout-42' });
      const doomed = createEvent('order.created', { quantity: 1_000 }, { producer: 'orders' });
      await commitEvents(producerDb, [fine, doomed]);

      await waitUntil(async () => (await reservations.effects()).length === 1, 'the follow-up to arrive');
      await waitUntil(async () => (await harness.bus.deadLetters.count(catalog.name)) === 1, 'the failed order to be dead-lettered');
      const written = (await consumerDb.db.select({ envelope: outbox.envelope }).from(outbox)).map((row) => row.envelope);
      const ofFine = written.filter((envelope) => envelope.causationId === fine.id);
      assert.equal(ofFine.length, 1);
      assert.equal(ofFine[0]!.type, 'stock.reserved');
      assert.equal(ofFine[0]!.correlationId, 'checkout-42', 'the conversation carries on');
      assert.equal(ofFine[0]!.producer, 'catalog');
      assert.deepEqual(await reservations.effects(), [ofFine[0]!.id]);
      assert.equal(written.filter((envelope) => envelope.causationId === doomed.id).length, 0, 'the failed handler left no follow-up');
    });

    void it('wakes on NOTIFY instead of waiting for the next poll', async () => {
      const users = await consumer(['user.registered']);
      relay(producerDb, { pollIntervalMs: 60_000 });
      await sleep(300);
      const registered = event('user.registered');
      const started = Date.now();
      await commitEvents(producerDb, [registered]);
      await waitForIds(users.effects, [registered.id], 5_000);
      assert.ok(Date.now() - started < 5_000);
    });

    void it('names each committed row in its NOTIFY, so the relay claims it by id', async () => {
      const heard: string[] = [];
      const unlisten = await producerDb.listen('outbox', (payload) => heard.push(payload));
      cleanups.push(unlisten);
      const events = [event('user.registered'), event('user.registered')];
      await commitEvents(producerDb, events);
      await waitUntil(() => heard.length >= 2, 'two notifications');
      assert.deepEqual(heard.sort(), events.map((envelope) => envelope.id).sort());
      // Nothing is sent for a transaction that rolled back.
      await assert.rejects(
        producerDb.transaction(async (tx) => {
          await enqueue(tx, event('user.registered'));
          throw new Error('rolled back');
        }),
      );
      await sleep(200);
      assert.equal(heard.length, 2);
      // Leave an empty outbox to the tests after this one.
      const drain = relay(producerDb);
      await waitUntil(async () => (await drain.backlog()) === 0, 'an empty backlog');
    });

    void it('never publishes a row twice when several relays share the outbox', async () => {
      const follows = await consumer(['user.followed']);
      const { bus: countingBus, published } = observed(harness.bus);
      const events = Array.from({ length: 150 }, (_, n) => event('user.followed', { n }));
      for (let start = 0; start < events.length; start += 50) await commitEvents(producerDb, events.slice(start, start + 50));
      const relays = Array.from({ length: 3 }, () => relay(producerDb, { bus: countingBus, batchSize: 10, pollIntervalMs: 20 }));
      await waitUntil(async () => (await relays[0]!.backlog()) === 0, 'an empty backlog', 20_000);
      assert.equal(published.size, 150);
      assert.deepEqual([...new Set(published.values())], [1], 'each row published by exactly one relay');
      await waitForIds(follows.effects, events.map((envelope) => envelope.id));
    });

    void it('runs after-commit work once the delivery committed, never for a rolled-back or skipped one', async () => {
      const seen: { eventId: string; committed: boolean }[] = [];
      const failing = event('photo.tagged', { fail: true });
      const good = event('photo.tagged', { fail: false });
      const tagged = await consumer(['photo.tagged'], {
        handler: (consumerName) => async (received, tx) => {
          afterCommit(async () => {
            // Outside the transaction: the processed_events row is visible only once it committed.
            const rows = await consumerDb.db
              .select({ eventId: processedEvents.eventId })
              .from(processedEvents)
              .where(and(eq(processedEvents.consumer, consumerName), eq(processedEvents.eventId, received.id)));
            seen.push({ eventId: received.id, committed: rows.length === 1 });
          });
          await tx.insert(effects).values({ consumer: consumerName, eventId: received.id });
          if ((received.data as { fail: boolean }).fail) throw new Error('handler failed after deferring work');
        },
      });
      await harness.bus.publish(failing);
      await harness.bus.publish(good);
      await waitForIds(tagged.effects, [good.id]);
      await waitUntil(async () => seen.length > 0, 'the after-commit work');
      // The failing one is retried and parked; none of its attempts may run the work.
      await waitUntil(async () => (await harness.bus.deadLetters.count(tagged.name)) === 1, 'the failing event in the DLQ', 15_000);
      await harness.bus.publish(good);
      await sleep(200);
      assert.deepEqual(seen, [{ eventId: good.id, committed: true }]);
      assert.throws(() => afterCommit(async () => undefined), /outside an event delivery/);
    });

    void it('keeps an event whose publish failed, records why, and publishes it once the bus works', async () => {
      const carts = await consumer(['cart.checked_out']);
      const brokenBus = createInProcessBus();
      await brokenBus.close();
      const checkedOut = event('cart.checked_out');
      await commitEvents(producerDb, [checkedOut]);
      const failing = relay(producerDb, { bus: brokenBus });
      await waitUntil(async () => (await row(checkedOut.id))?.lastError != null, 'the recorded failure');
      await failing.stop();
      const failed = await row(checkedOut.id);
      assert.equal(failed!.publishedAt, null);
      assert.equal(failed!.claimedUntil, null, 'the claim was released');
      assert.match(failed!.lastError!, /closed/);
      assert.equal(await failing.backlog(), 1);

      relay(producerDb);
      await waitForIds(carts.effects, [checkedOut.id]);
      await waitUntil(async () => (await row(checkedOut.id))?.publishedAt != null, 'the published mark');
      assert.equal((await row(checkedOut.id))!.lastError, null);
    });

    void it('deletes published rows after seven days and never unpublished ones', async () => {
      const [old, recent, pending] = [event('audit.old'), event('audit.recent'), event('audit.pending')];
      await commitEvents(producerDb, [old, recent, pending]);
      await producerDb.db.update(outbox).set({ publishedAt: sql`now() - interval '8 days'` }).where(eq(outbox.id, old.id));
      await producerDb.db.update(outbox).set({ publishedAt: sql`now() - interval '1 day'` }).where(eq(outbox.id, recent.id));
      await producerDb.db.update(outbox).set({ createdAt: sql`now() - interval '30 days'` }).where(eq(outbox.id, pending.id));
      relay(producerDb, { cleanupIntervalMs: 0 });
      await waitUntil(async () => (await row(old.id)) === undefined, 'the old row to go');
      assert.ok(await row(recent.id));
      assert.ok((await row(pending.id))?.publishedAt, 'the old unpublished row was published, not deleted');
    });

    if (options.brokerRestart) {
      void it('loses nothing when the broker restarts while events are being published', async () => {
        const orders = await consumer(['order.paid'], { prefetch: 20 });
        relay(producerDb, { pollIntervalMs: 200, maxBackoffMs: 1_000 });
        const events = Array.from({ length: 200 }, (_, n) => event('order.paid', { n }));
        const producing = (async () => {
          for (const envelope of events) {
            await commitEvents(producerDb, [envelope]);
            await sleep(15);
          }
        })();
        await sleep(800);
        await harness.restartBroker!();
        await producing;
        await waitForIds(orders.effects, events.map((envelope) => envelope.id), 60_000);
        await sleep(500);
        const processed = await orders.effects();
        assert.equal(new Set(processed).size, 200, 'all 200 distinct events arrived');
        assert.equal(processed.length, 200, 'and each was processed once');
      });
    }

    async function row(id: string) {
      const [found] = await producerDb.db.select().from(outbox).where(eq(outbox.id, id));
      return found;
    }
  });
}

/** The same bus, counting what it publishes and which deliveries its consumers finished handling. */
function observed(bus: EventBus) {
  const published = new Map<string, number>();
  const handled = new Map<string, number>();
  const bump = (counts: Map<string, number>, id: string) => counts.set(id, (counts.get(id) ?? 0) + 1);
  const observedBus: EventBus = {
    kind: bus.kind,
    deadLetters: bus.deadLetters,
    async publish(envelope, headers) {
      await bus.publish(envelope, headers);
      bump(published, envelope.id);
    },
    consume: (queue, types, handler, consumeOptions) =>
      bus.consume(
        queue,
        types,
        async (delivery) => {
          await handler(delivery);
          bump(handled, delivery.envelope.id);
        },
        consumeOptions,
      ),
    isReady: () => bus.isReady(),
    close: () => bus.close(),
  };
  return { bus: observedBus, published, handled };
}
