/**
 * The outbox relay: publishes committed outbox rows to the bus and stamps them published once
 * the broker confirmed. It wakes on NOTIFY, which the outbox's insert trigger sends on commit
 * with the new row's id, and then claims those rows by primary key. A poll timer scans for
 * whatever is still unpublished: rows left behind by a crash or a broker outage, or whose
 * notification was lost. Only the scan's cost grows with the dead rows published events leave
 * until the next VACUUM, so it runs once per poll interval, not once per event.
 *
 * Rows are claimed with a lease (claimed_until) taken under FOR UPDATE SKIP LOCKED, so any
 * number of relay instances can run against one database without publishing a row twice at
 * the same time; a relay that dies mid-batch only delays its rows until the lease runs out.
 */
import { and, asc, inArray, isNull, isNotNull, lt, or, sql } from 'drizzle-orm';
import type { Database } from '../db/database.ts';
import { preparedStatement } from '../db/prepared-statement.ts';
import type { Logger } from '../logger.ts';
import { startSendSpan } from '../tracing/messaging.ts';
import type { Tracer } from '../tracing/tracing.ts';
import { errorMessage } from './message-headers.ts';
import { outbox } from './outbox.tables.ts';
import type { EventBus, EventEnvelope, MessageHeaders } from './types.ts';

export interface OutboxRelayOptions {
  database: Database;
  bus: EventBus;
  logger: Logger;
  pollIntervalMs?: number;
  batchSize?: number;
  /** Longest pause after failures (broker down, database down) before trying again. */
  maxBackoffMs?: number;
  /** How often published rows older than the retention are deleted. */
  cleanupIntervalMs?: number;
  /** A `send` span per row, from its write to the broker's confirm (../tracing/messaging.ts). */
  tracer?: Tracer | undefined;
}

export interface OutboxRelay {
  start(): void;
  /** Stops waking up and resolves once the batch in progress is settled. */
  stop(): Promise<void>;
  /** Rows not yet published (the outbox_backlog metric). */
  backlog(): Promise<number>;
}

/**
 * How long a claimed row is left to its relay. It is also how late the events a relay had
 * claimed when its process died go out after the restart, so it is kept short: longer than a
 * batch normally takes (publish confirms time out at 10 s), and a batch that outlives it only
 * means a row published twice, which idempotent consumers absorb.
 */
const CLAIM_LEASE = sql`now() + interval '15 seconds'`;
const PUBLISHED_RETENTION = sql`now() - interval '7 days'`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Rows no relay holds and not yet published. */
const unclaimed = and(isNull(outbox.publishedAt), or(isNull(outbox.claimedUntil), lt(outbox.claimedUntil, sql`now()`)));
const claimedRow = { id: outbox.id, envelope: outbox.envelope, headers: outbox.headers, createdAt: outbox.createdAt };
const idIn = (name: string) => sql`${outbox.id} = any(${sql.placeholder(name)}::uuid[])`;

// The statements of every wake-up, built once per connection (../db/prepared-statement.ts).
const claimNamed = preparedStatement('kit_outbox_claim_named', (q) =>
  q
    .update(outbox)
    .set({ claimedUntil: CLAIM_LEASE, attempts: sql`${outbox.attempts} + 1` })
    .where(inArray(outbox.id, q.select({ id: outbox.id }).from(outbox).where(and(idIn('ids'), unclaimed)).for('update', { skipLocked: true })))
    .returning(claimedRow),
);
const claimOldest = preparedStatement('kit_outbox_claim_oldest', (q) =>
  q
    .update(outbox)
    .set({ claimedUntil: CLAIM_LEASE, attempts: sql`${outbox.attempts} + 1` })
    .where(
      inArray(
        outbox.id,
        q.select({ id: outbox.id }).from(outbox).where(unclaimed).orderBy(asc(outbox.createdAt), asc(outbox.id)).limit(sql.placeholder('limit')).for('update', { skipLocked: true }),
      ),
    )
    .returning(claimedRow),
);
const markPublished = preparedStatement('kit_outbox_mark_published', (q) =>
  q.update(outbox).set({ publishedAt: sql`now()`, claimedUntil: null, lastError: null }).where(idIn('ids')),
);

export function createOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const { database, bus } = options;
  const logger = options.logger.child({ component: 'outbox-relay' });
  const pollIntervalMs = options.pollIntervalMs ?? 1_000;
  const batchSize = options.batchSize ?? 100;
  const maxBackoffMs = options.maxBackoffMs ?? 5_000;
  const cleanupIntervalMs = options.cleanupIntervalMs ?? 3_600_000;

  let running: Promise<void> | null = null;
  let stopped = false;
  let unlisten: (() => Promise<void>) | null = null;
  /** Set by NOTIFY while a batch runs, so a wake-up is never lost between two batches. */
  let woken = false;
  /** Ids of committed rows named by NOTIFY and not yet looked at. */
  const notified = new Set<string>();
  let lastScan = 0;
  let wake: () => void = () => undefined;
  let lastCleanup = 0;

  /** Sleeps until woken by NOTIFY or stop(), or `ms` passed; `interruptible: false` ignores NOTIFY (backoff). */
  function pause(ms: number, interruptible: boolean): Promise<void> {
    if (stopped || (interruptible && woken)) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        wake = () => undefined;
        resolve();
      }
      wake = () => {
        if (interruptible || stopped) done();
      };
    });
  }

  /** Claims the given rows (by primary key), or with none given, the oldest due rows (a scan). */
  async function claimBatch(ids: string[] | null) {
    const claimed = ids ? await claimNamed(database.db, { ids }) : await claimOldest(database.db, { limit: batchSize });
    // RETURNING has no order; publish oldest first (ids are UUIDv7, so they break ties in time).
    return claimed.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  async function publish(row: { envelope: EventEnvelope; headers: MessageHeaders }): Promise<void> {
    if (!options.tracer) return bus.publish(row.envelope, row.headers);
    const span = startSendSpan(options.tracer, row, bus.kind);
    try {
      await bus.publish(row.envelope, span.headers);
      span.end();
    } catch (error) {
      span.end(error);
      throw error;
    }
  }

  /** Publishes one batch; returns how many rows it claimed and whether any publish failed. */
  async function relayBatch(ids: string[] | null): Promise<{ claimed: number; failed: number }> {
    const rows = await claimBatch(ids);
    if (rows.length === 0) return { claimed: 0, failed: 0 };
    // Handing every row to the bus before awaiting keeps their order on the wire and
    // pipelines the broker's confirms instead of paying a round trip per row.
    const results = await Promise.allSettled(rows.map((row) => publish(row)));
    const published: string[] = [];
    const failures = new Map<string, string[]>();
    results.forEach((result, index) => {
      const id = rows[index]!.id;
      if (result.status === 'fulfilled') published.push(id);
      else {
        const reason = errorMessage(result.reason);
        failures.set(reason, [...(failures.get(reason) ?? []), id]);
      }
    });
    if (published.length > 0) await markPublished(database.db, { ids: published });
    for (const [reason, ids] of failures) {
      await database.db.update(outbox).set({ claimedUntil: null, lastError: reason }).where(inArray(outbox.id, ids));
      logger.warn({ count: ids.length, reason }, 'outbox publish failed; will retry');
    }
    return { claimed: rows.length, failed: rows.length - published.length };
  }

  async function deleteOldPublished(): Promise<void> {
    if (Date.now() - lastCleanup < cleanupIntervalMs) return;
    lastCleanup = Date.now();
    await database.db.delete(outbox).where(and(isNotNull(outbox.publishedAt), lt(outbox.publishedAt, PUBLISHED_RETENTION)));
  }

  /** Up to a batch of the notified ids, removed from the set. */
  function takeNotified(): string[] {
    const ids: string[] = [];
    for (const id of notified) {
      notified.delete(id);
      ids.push(id);
      if (ids.length === batchSize) break;
    }
    return ids;
  }

  async function loop(): Promise<void> {
    let failures = 0;
    while (!stopped) {
      woken = false;
      // A scan when the poll interval is up or after a failure (the failed rows are due again),
      // else the rows NOTIFY named.
      const scan = failures > 0 || notified.size === 0 || Date.now() - lastScan >= pollIntervalMs;
      // The scan sees every row committed before it began, so the ids named until then are covered.
      const covered = scan ? new Set(notified) : null;
      let outcome = { claimed: 0, failed: 0 };
      try {
        if (scan) lastScan = Date.now();
        outcome = await relayBatch(scan ? null : takeNotified());
        if (covered && outcome.claimed < batchSize) for (const id of covered) notified.delete(id);
        if (outcome.claimed < batchSize) await deleteOldPublished();
      } catch (error) {
        logger.error({ err: error }, 'outbox relay batch failed');
        outcome.failed = 1;
      }
      if (stopped) break;
      if (outcome.failed > 0) {
        failures += 1;
        await pause(Math.min(maxBackoffMs, 250 * 2 ** (failures - 1)), false);
        continue;
      }
      failures = 0;
      // A full batch means there is probably more, and named rows are waiting: go again at once.
      if (outcome.claimed === batchSize || notified.size > 0) continue;
      await pause(Math.max(0, lastScan + pollIntervalMs - Date.now()), true);
    }
  }

  return {
    start() {
      if (running || stopped) return;
      running = (async () => {
        try {
          unlisten = await database.listen('outbox', (id) => {
            // Anything but an id (an older trigger's empty payload) still wakes a scan.
            if (UUID.test(id)) notified.add(id);
            woken = true;
            wake();
          });
        } catch (error) {
          // Polling alone still delivers everything, only later.
          logger.warn({ err: error }, 'outbox relay could not LISTEN; relying on polling');
        }
        await loop();
      })();
    },

    async stop() {
      stopped = true;
      wake();
      await running;
      await unlisten?.().catch((error: unknown) => logger.warn({ err: error }, 'outbox relay UNLISTEN failed'));
      unlisten = null;
    },

    async backlog() {
      const [row] = await database.db.select({ count: sql<number>`count(*)::int` }).from(outbox).where(isNull(outbox.publishedAt));
      return row?.count ?? 0;
    },
  };
}
