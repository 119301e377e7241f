/**
 * An open-loop load generator: requests start at a fixed arrival rate whatever the answers do,
 * as DeathStarBench's wrk2 drives its social network, and each latency is measured from when
 * the request was due, not from when it was sent, so a stalled server can't hide its queue
 * (coordinated omission).
 */
import { Pool } from 'undici';

export interface PlannedRequest {
  type: string;
  method: string;
  path: string;
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Called with the answer when the scenario needs it (the body is read only then). `dueAt` is wall-clock ms. */
  onAnswer?: (answer: { status: number; body: string; dueAt: number }) => void;
}

export interface TypeStats {
  type: string;
  completed: number;
  errors: number;
  /** Status codes other than 2xx seen, with counts. */
  statuses: Record<string, number>;
  p50: number;
  p99: number;
  max: number;
}

export interface RunResult {
  seconds: number;
  offered: number;
  completed: number;
  /** Requests not started because `maxInFlight` were already waiting. */
  dropped: number;
  throughput: number;
  byType: TypeStats[];
}

export async function runAtFixedRate(options: {
  url: string;
  ratePerSecond: number;
  seconds: number;
  next: () => PlannedRequest;
  maxInFlight?: number;
}): Promise<RunResult> {
  // undici rather than node:http: the generator shares the two cores with the platform, and
  // undici's client costs a fraction of node:http's per request.
  const pool = new Pool(options.url, { connections: 256, pipelining: 1 });
  const maxInFlight = options.maxInFlight ?? 4_000;
  const latencies = new Map<string, number[]>();
  const stats = new Map<string, { completed: number; errors: number; statuses: Record<string, number> }>();
  const statsOf = (type: string) => {
    let entry = stats.get(type);
    if (!entry) {
      entry = { completed: 0, errors: 0, statuses: {} };
      stats.set(type, entry);
      latencies.set(type, []);
    }
    return entry;
  };
  let inFlight = 0;
  let offered = 0;
  let dropped = 0;
  const pending = new Set<Promise<void>>();

  const send = (planned: PlannedRequest, dueAt: number) => {
    const entry = statsOf(planned.type);
    const body = planned.body === undefined ? undefined : JSON.stringify(planned.body);
    const headers: Record<string, string> = { ...planned.headers };
    if (planned.token) headers['authorization'] = `Bearer ${planned.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    inFlight++;
    const finish = (status: number | 'error') => {
      inFlight--;
      if (typeof status === 'number' && status >= 200 && status < 300) {
        entry.completed++;
        latencies.get(planned.type)!.push(performance.now() - dueAt);
      } else {
        entry.errors++;
        entry.statuses[String(status)] = (entry.statuses[String(status)] ?? 0) + 1;
      }
    };
    const done = pool
      .request({ method: planned.method, path: planned.path, headers, body })
      .then(async (response) => {
        if (planned.onAnswer) planned.onAnswer({ status: response.statusCode, body: await response.body.text(), dueAt: performance.timeOrigin + dueAt });
        else await response.body.dump();
        finish(response.statusCode);
      })
      .catch(() => finish('error'));
    pending.add(done);
    void done.then(() => pending.delete(done));
  };

  const interval = 1000 / options.ratePerSecond;
  const startedAt = performance.now();
  const endsAt = startedAt + options.seconds * 1000;
  let nextDue = startedAt;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (nextDue <= now && nextDue < endsAt) {
        offered++;
        if (inFlight >= maxInFlight) dropped++;
        else send(options.next(), nextDue);
        nextDue += interval;
      }
      if (nextDue >= endsAt) resolve();
      // A 1 ms timer, not a busy loop: the generator shares the machine with the platform, and
      // requests due in between go out together (each still timed from when it was due).
      else setTimeout(tick, 1);
    };
    tick();
  });
  await Promise.all(pending);
  await pool.close();
  const elapsed = (performance.now() - startedAt) / 1000;
  const byType = [...stats.entries()].map(([type, entry]): TypeStats => {
    const sorted = latencies.get(type)!.sort((a, b) => a - b);
    const at = (q: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!);
    return { type, completed: entry.completed, errors: entry.errors, statuses: entry.statuses, p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? NaN };
  });
  const completed = byType.reduce((sum, entry) => sum + entry.completed, 0);
  return { seconds: options.seconds, offered, completed, dropped, throughput: completed / elapsed, byType };
}
