/**
 * Helpers for the bus tests: bounded waits, delivery recorders, unique names, RabbitMQ cleanup and
 * a broker restart. Every wait has a deadline so a broken adapter fails a test instead of hanging it.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { connect } from 'amqplib';
import { createLogger, type Logger } from '../../src/logger.ts';
import type { Delivery, DeliveryHandler } from '../../src/bus/types.ts';

const run = promisify(execFile);

/** Silent unless TEST_LOG_LEVEL is set (e.g. `debug`) to see what the adapters did. */
export const testLogger = (name = 'bus-test'): Logger => createLogger(name, process.env.TEST_LOG_LEVEL ?? 'silent');

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export const uniqueName = (prefix: string): string => `${prefix}.${randomUUID().slice(0, 8)}`;

export async function waitUntil(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

/** A handler that records every delivery (and optionally does more), with waits on the record. */
export function recorder(behaviour: (delivery: Delivery) => Promise<void> = async () => undefined) {
  const deliveries: Delivery[] = [];
  const handler: DeliveryHandler = async (delivery) => {
    deliveries.push(delivery);
    await behaviour(delivery);
  };
  return {
    handler,
    deliveries,
    ids: () => deliveries.map((delivery) => delivery.envelope.id),
    waitForCount: (count: number, timeoutMs = 5_000) => waitUntil(() => deliveries.length >= count, `${count} deliveries (have ${deliveries.length})`, timeoutMs),
  };
}

/** A promise to hold a handler on until the test lets it go. */
export function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/** Deletes a consumer queue with its retry and dead-letter queues, and optionally an exchange. */
export async function deleteRabbitTopology(url: string, queues: string[], retryDelaysMs: number[], exchanges: string[] = []): Promise<void> {
  const model = await connect(url);
  try {
    const channel = await model.createChannel();
    for (const queue of queues) {
      for (const name of [queue, `${queue}.dlq`, ...retryDelaysMs.map((delay) => `${queue}.retry.${delay}`)]) await channel.deleteQueue(name);
    }
    for (const exchange of exchanges) await channel.deleteExchange(exchange);
    await channel.close();
  } finally {
    await model.close();
  }
}

async function rabbitAccepts(url: string): Promise<boolean> {
  try {
    const model = await connect(url, { timeout: 1_000 });
    await model.close();
    return true;
  } catch {
    return false;
  }
}

export async function stopRabbit(): Promise<void> {
  await run('rabbitmqctl', ['stop_app'], { timeout: 60_000 });
}

/** Starts the broker again and waits until it takes AMQP connections. */
export async function startRabbit(url: string): Promise<void> {
  try {
    await run('rabbitmqctl', ['start_app'], { timeout: 60_000 });
  } catch {
    // The node itself may be down (or rabbitmqctl unusable): boot a fresh one.
    await run('rabbitmq-server', ['-detached'], { timeout: 60_000 }).catch(() => undefined);
  }
  await waitUntil(() => rabbitAccepts(url), 'RabbitMQ to accept connections again', 60_000);
}

const BROKER_LOCK = path.join(tmpdir(), 'agora-test-rabbitmq.lock');

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Holds the RabbitMQ test broker for one test file. Some of these tests stop the broker, so the
 * files that use it take turns even when the runner runs files in parallel (`npm test` does).
 * mkdir is atomic; a lock left by a killed run is taken over once its process is gone.
 */
export async function holdBroker(timeoutMs = 300_000): Promise<() => Promise<void>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await mkdir(BROKER_LOCK);
      await writeFile(path.join(BROKER_LOCK, 'pid'), String(process.pid));
      return () => rm(BROKER_LOCK, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = Number(await readFile(path.join(BROKER_LOCK, 'pid'), 'utf8').catch(() => ''));
    if (owner > 0 && !processAlive(owner)) await rm(BROKER_LOCK, { recursive: true, force: true });
    if (Date.now() > deadline) throw new Error(`the RabbitMQ test lock (${BROKER_LOCK}) stayed taken for ${timeoutMs} ms`);
    await sleep(100);
  }
}
