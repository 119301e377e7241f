import { after, before } from 'node:test';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { createRabbitBus } from '../../src/bus/rabbitmq-bus.ts';
import { openDatabase } from '../../src/db/open-database.ts';
import { OUTBOX_SUITE_RETRY_DELAYS_MS, describeOutboxSuite } from './outbox-suite.ts';
import { deleteRabbitTopology, holdBroker, sleep, startRabbit, stopRabbit, testLogger, uniqueName } from './support.ts';

const amqpUrl = process.env.AMQP_URL ?? '';
const databaseUrl = process.env.DATABASE_URL ?? '';
const skip = (!process.env.AMQP_URL && 'AMQP_URL not set') || (!process.env.DATABASE_URL && 'DATABASE_URL not set');

// These tests share (and some restart) the one test broker: files take turns holding it.
let releaseBroker: (() => Promise<void>) | undefined;
before(async () => {
  if (process.env.AMQP_URL) releaseBroker = await holdBroker();
});
after(async () => {
  await releaseBroker?.();
});

describeOutboxSuite(
  'PostgreSQL + rabbitmq',
  async () => {
    const exchange = uniqueName('agora.test.outbox');
    const bus = await createRabbitBus({ url: amqpUrl, exchange, logger: testLogger(), reconnect: { initialDelayMs: 100, maxDelayMs: 1_000 } });
    const run = randomUUID().slice(0, 8);
    const services: string[] = [];
    const queues: string[] = [];
    return {
      bus,
      async newTarget(role) {
        const service = `bus_test_${run}_${role}`;
        services.push(service);
        return { service, url: databaseUrl };
      },
      open: (target) => openDatabase({ ...target, logger: testLogger() }),
      track: (queue) => queues.push(queue),
      async restartBroker() {
        await stopRabbit();
        await sleep(1_000);
        await startRabbit(amqpUrl);
      },
      async dispose() {
        await startRabbit(amqpUrl);
        await bus.close();
        await deleteRabbitTopology(amqpUrl, queues, OUTBOX_SUITE_RETRY_DELAYS_MS, [exchange]);
        const admin = new pg.Client({ connectionString: databaseUrl });
        await admin.connect();
        const base = decodeURIComponent(new URL(databaseUrl).pathname.slice(1)) || 'postgres';
        for (const service of services) await admin.query(`drop database if exists "${base}_${service}" with (force)`);
        await admin.end();
      },
    };
  },
  { skip, brokerRestart: true },
);
