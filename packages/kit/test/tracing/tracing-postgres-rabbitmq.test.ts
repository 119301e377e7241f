import { after, before } from 'node:test';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { createRabbitBus } from '../../src/bus/rabbitmq-bus.ts';
import { deleteNamespace } from '../../src/bus/rabbitmq-namespace.ts';
import { openDatabase } from '../../src/db/open-database.ts';
import { holdBroker, testLogger } from '../bus/support.ts';
import { describeTraceSuite } from './trace-suite.ts';

const amqpUrl = process.env.AMQP_URL ?? '';
const databaseUrl = process.env.DATABASE_URL ?? '';
const skip = (!process.env.AMQP_URL && 'AMQP_URL not set') || (!process.env.DATABASE_URL && 'DATABASE_URL not set');

// Other files restart the test broker; they take turns holding it.
let releaseBroker: (() => Promise<void>) | undefined;
before(async () => {
  if (!skip) releaseBroker = await holdBroker();
});
after(async () => {
  await releaseBroker?.();
});

describeTraceSuite(
  'PostgreSQL + RabbitMQ',
  async () => {
    const run = randomUUID().slice(0, 8);
    const namespace = `trace-test-${run}`;
    const bus = await createRabbitBus({ url: amqpUrl, namespace, logger: testLogger() });
    const databases: string[] = [];
    return {
      bus,
      openDatabase(service) {
        const name = `${service.replaceAll('-', '_')}_${run}`;
        databases.push(name);
        return openDatabase({ service: name, url: databaseUrl, logger: testLogger() });
      },
      async dispose() {
        await bus.close();
        await deleteNamespace({ url: amqpUrl, namespace, queues: ['trace-b', 'trace-c'] });
        const admin = new pg.Client({ connectionString: databaseUrl });
        await admin.connect();
        const base = decodeURIComponent(new URL(databaseUrl).pathname.slice(1)) || 'postgres';
        for (const name of databases) await admin.query(`drop database if exists "${base}_${name}" with (force)`);
        await admin.end();
      },
    };
  },
  { skip },
);
