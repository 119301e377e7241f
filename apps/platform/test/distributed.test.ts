/**
 * The platform as separate processes on PostgreSQL, RabbitMQ and Redis (when their URLs are
 * set), through the gateway: the same scenarios as the embedded platform.
 */
import { before, after, describe } from 'node:test';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startDistributedPlatform, missingSettings, type DistributedPlatform } from '../src/distributed-platform.ts';
import { identityScenarios, type PlatformUnderTest } from './identity-scenarios.ts';
import { usersScenarios } from './users-scenarios.ts';
import { socialScenarios } from './social-scenarios.ts';
import { commerceScenarios } from './commerce-scenarios.ts';
import { tracingScenarios, tracingSettings } from './tracing-scenarios.ts';
import { startOtlpReceiver, type OtlpReceiver } from './otlp-receiver.ts';
import { CRASH_SETTINGS, crashScenarios } from './crash-scenarios.ts';
import { loadBalancingScenarios } from './load-balancing-scenarios.ts';
import { deleteNamespace } from '@agora/kit/bus/rabbitmq-namespace';
import { services } from '@agora/contracts/services';

const missing = missingSettings(process.env);

describe('distributed platform', { skip: missing.length > 0 && `${missing.join(', ')} not set` }, () => {
  let platform: DistributedPlatform;
  let dataDir: string;
  // Where the services export their spans, as they would to a collector.
  let receiver: OtlpReceiver;
  const admin = { email: 'admin@example.com', password: 'admin password 123' };
  const databaseBase = `e2e_${process.pid}_${Date.now()}`;
  const databaseUrl = process.env['DATABASE_URL']!.replace(/\/[^/]*$/, `/${databaseBase}`);
  // Exchange and queues of this run's own, so no other platform on the broker takes its events.
  const namespace = databaseBase.replaceAll('_', '-');
  // Services at +1…+12, the second gateway at +19, nginx at +13.
  const portBase = 28_080 + (process.pid % 50) * 20;

  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'agora-e2e-'));
    receiver = await startOtlpReceiver();
    platform = await startDistributedPlatform({
      // Ports away from the defaults so a running platform doesn't collide with the test.
      portBase,
      // Two, for the scenarios of load balancing behind nginx.
      gateways: 2,
      // E2E_OUTPUT=inherit shows the services' logs when a failure needs them.
      output: process.env['E2E_OUTPUT'] === 'inherit' ? 'inherit' : 'ignore',
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        AGORA_DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
        AGORA_ADMIN_EMAIL: admin.email,
        AGORA_ADMIN_PASSWORD: admin.password,
        AMQP_NAMESPACE: namespace,
        ...CRASH_SETTINGS,
        ...tracingSettings(receiver),
      },
    });
  });

  after(async () => {
    await platform?.close();
    await receiver?.close();
    await rm(dataDir, { recursive: true, force: true });
    // Drop the databases this run created.
    const client = new pg.Client({ connectionString: process.env['DATABASE_URL'] });
    await client.connect();
    const { rows } = await client.query<{ datname: string }>('select datname from pg_database where datname like $1', [`${databaseBase}%`]);
    for (const { datname } of rows) await client.query(`drop database if exists "${datname}" with (force)`);
    await client.end();
    await deleteNamespace({ url: process.env['AMQP_URL']!, namespace, queues: services.filter((service) => service.built).map((service) => service.name).concat('gateway') });
  });

  identityScenarios((): PlatformUnderTest => ({ url: platform.url, mailboxDir: path.join(dataDir, 'mailbox'), admin }));
  usersScenarios((): PlatformUnderTest => ({ url: platform.url, mailboxDir: path.join(dataDir, 'mailbox'), admin }));
  socialScenarios((): PlatformUnderTest => ({ url: platform.url, mailboxDir: path.join(dataDir, 'mailbox'), admin }));
  commerceScenarios((): PlatformUnderTest => ({ url: platform.url, mailboxDir: path.join(dataDir, 'mailbox'), admin }));
  tracingScenarios((): PlatformUnderTest => ({ url: platform.url, mailboxDir: path.join(dataDir, 'mailbox'), admin }), () => receiver);
  loadBalancingScenarios(() => ({ platform, dir: dataDir, port: portBase + 13, tag: namespace }));
  // Last: it kills services (the supervisor restarts them).
  crashScenarios(() => ({ url: platform.url, mailboxDir: path.join(dataDir, 'mailbox'), admin, processes: platform.processes, waitReady: (timeoutMs) => platform.waitReady(timeoutMs), databaseUrl }));
});
