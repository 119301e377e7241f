/**
 * One AMQP connection that heals itself: on loss it reconnects with exponential backoff and
 * jitter, and runs `setup` (exchange, publisher channel) before calling itself connected.
 * Subscriptions wait on `whenConnected()` and re-attach themselves, so a broker restart costs
 * an outage window, never a subscription.
 */
import { connect, type ChannelModel } from 'amqplib';
import type { Logger } from '../logger.ts';
import { errorMessage } from './message-headers.ts';

export interface RabbitConnectionOptions {
  url: string;
  logger: Logger;
  /** Prepares a fresh connection; when it throws, the connection is dropped and retried. */
  setup: (model: ChannelModel) => Promise<void>;
  connectionName?: string;
  initialDelayMs?: number;
  maxDelayMs?: number;
  connectTimeoutMs?: number;
}

export interface RabbitConnection {
  /** The live connection, or null while disconnected. */
  current(): ChannelModel | null;
  /** Resolves with a live connection; waits up to `timeoutMs` (forever when omitted) during an outage. */
  whenConnected(timeoutMs?: number): Promise<ChannelModel>;
  close(): Promise<void>;
}

interface Waiter {
  resolve: (model: ChannelModel) => void;
  reject: (error: Error) => void;
}

export function openRabbitConnection(options: RabbitConnectionOptions): RabbitConnection {
  const { url, logger, setup } = options;
  const initialDelayMs = options.initialDelayMs ?? 200;
  const maxDelayMs = options.maxDelayMs ?? 5_000;
  const connectTimeoutMs = options.connectTimeoutMs ?? 5_000;

  let model: ChannelModel | null = null;
  let closed = false;
  let failures = 0;
  let everConnected = false;
  let retryTimer: NodeJS.Timeout | null = null;
  let connecting: Promise<void> | null = null;
  const waiters = new Set<Waiter>();

  function attempt(): void {
    connecting = establish().finally(() => {
      connecting = null;
    });
  }

  async function establish(): Promise<void> {
    let candidate: ChannelModel | undefined;
    let lost = false;
    try {
      // noDelay: amqplib leaves Nagle's algorithm on, and a publish written right after an ack
      // then waits for the broker's delayed ACK (40 ms on Linux) — a stall on every saga hop.
      candidate = await connect(url, { timeout: connectTimeoutMs, noDelay: true, clientProperties: { connection_name: options.connectionName ?? 'agora' } });
      const opened = candidate;
      opened.on('error', (error: Error) => logger.warn({ err: error }, 'rabbitmq connection error'));
      opened.once('close', () => {
        lost = true;
        if (model === opened) onLost();
      });
      await setup(opened);
      if (closed) {
        await opened.close().catch(() => undefined);
        return;
      }
      // The broker may have gone away while setup ran; 'close' has already fired for it then.
      if (lost) throw new Error('connection closed during setup');
      model = opened;
      failures = 0;
      logger.info(everConnected ? 'rabbitmq reconnected' : 'rabbitmq connected');
      everConnected = true;
      for (const waiter of waiters) waiter.resolve(opened);
      waiters.clear();
    } catch (error) {
      if (candidate && !lost) await candidate.close().catch(() => undefined);
      logger.warn({ err: error }, `rabbitmq connection attempt failed: ${errorMessage(error)}`);
      scheduleReconnect();
    }
  }

  function onLost(): void {
    model = null;
    if (closed) return;
    logger.warn('rabbitmq connection lost; reconnecting');
    scheduleReconnect();
  }

  function scheduleReconnect(): void {
    if (closed || retryTimer) return;
    failures += 1;
    const base = Math.min(maxDelayMs, initialDelayMs * 2 ** (failures - 1));
    // Jitter keeps a fleet of services from reconnecting in lockstep after a broker restart.
    const delay = Math.round(base * (0.8 + Math.random() * 0.4));
    retryTimer = setTimeout(() => {
      retryTimer = null;
      attempt();
    }, delay);
  }

  attempt();

  return {
    current: () => model,

    whenConnected(timeoutMs) {
      if (closed) return Promise.reject(new Error('rabbitmq connection is closed'));
      if (model) return Promise.resolve(model);
      return new Promise<ChannelModel>((resolve, reject) => {
        let timer: NodeJS.Timeout | undefined;
        const waiter: Waiter = {
          resolve: (live) => {
            clearTimeout(timer);
            resolve(live);
          },
          reject: (error) => {
            clearTimeout(timer);
            reject(error);
          },
        };
        if (timeoutMs !== undefined) {
          timer = setTimeout(() => {
            waiters.delete(waiter);
            reject(new Error(`rabbitmq not connected within ${timeoutMs} ms`));
          }, timeoutMs);
        }
        waiters.add(waiter);
      });
    },

    async close() {
      if (closed) return;
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      for (const waiter of waiters) waiter.reject(new Error('rabbitmq connection is closed'));
      waiters.clear();
      await connecting;
      const live = model;
      model = null;
      await live?.close().catch(() => undefined);
    },
  };
}
