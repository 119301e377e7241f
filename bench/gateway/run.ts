/**
 * bench/gateway: an authenticated GET (`GET /api/v1/auth/me`) measured three ways in one run —
 * straight to identity, through Agora's gateway, and through the seeds' Express stack
 * (bench/baselines/express-gateway) — interleaved in rounds so machine noise hits all three
 * alike. Prints throughput and p50/p99 per target (medians over rounds) and the ratios.
 *
 *   REDIS_URL=redis://127.0.0.1:6379 npm run bench:gateway [-- --rounds 3 --seconds 8 --connections 32]
 *
 * Both gateways rate-limit per user on Redis (with a limit high enough never to refuse), so the
 * comparison includes the Redis round trip each makes per request. DATABASE_URL and AMQP_URL are
 * used for identity when set; otherwise it runs on PGlite and the in-process bus.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { dropDatabases } from '../lib/databases.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '8' },
    connections: { type: 'string', default: '32' },
  },
});
const rounds = Number(args.rounds);
const seconds = Number(args.seconds);
const connections = Number(args.connections);

const redisUrl = process.env['REDIS_URL'];
if (!redisUrl) {
  process.stderr.write('bench/gateway needs REDIS_URL (both gateways rate-limit on Redis), e.g. REDIS_URL=redis://127.0.0.1:6379\n');
  process.exit(2);
}

const ports = { identity: 18081, gateway: 18080, express: 18180 };
const url = (port: number) => `http://127.0.0.1:${port}`;
const children: ChildProcess[] = [];
const childByName = new Map<string, ChildProcess>();

/** CPU seconds (user + system) a process has used, from /proc: the cost of a target per request. */
function cpuSeconds(child: ChildProcess | undefined): number {
  if (!child?.pid) return 0;
  const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // utime and stime are fields 14 and 15 of stat (11 and 12 after the command name), in clock ticks.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
const runId = `${Date.now()}`;
const baseEnv = {
  ...process.env,
  LOG_LEVEL: 'warn',
  NODE_ENV: 'production',
  AGORA_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'agora-bench-')),
  RATE_LIMIT_PER_MINUTE: '100000000',
  // A database of its own per run, so a previous run's data doesn't matter.
  ...(process.env['DATABASE_URL'] ? { DATABASE_URL: process.env['DATABASE_URL'].replace(/\/[^/]*$/, `/bench_${runId}`) } : {}),
};

function start(name: string, entry: string, env: Record<string, string | undefined>): void {
  const child = spawn(process.execPath, [entry], { cwd: root, env: { ...baseEnv, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  child.once('exit', (code, signal) => {
    if (!stopping) process.stderr.write(`${name} exited early (${signal ?? code})\n`);
  });
  children.push(child);
  childByName.set(name, child);
}

async function waitFor(target: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(target, { signal: AbortSignal.timeout(1_000) });
      if (response.ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${target} did not answer within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

let stopping = false;
async function stopAll(): Promise<void> {
  stopping = true;
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
          setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
        }),
    ),
  );
}

interface Sample {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  /** CPU milliseconds the edge process (gateway or Express) spent per request; 0 for direct. */
  edgeCpuMs: number;
}

async function measure(target: string, token: string, durationSeconds: number, edge?: ChildProcess): Promise<Sample> {
  const cpuBefore = cpuSeconds(edge);
  const result = await autocannon({
    url: `${target}/api/v1/auth/me`,
    connections,
    duration: durationSeconds,
    headers: { authorization: `Bearer ${token}` },
  });
  const cpu = cpuSeconds(edge) - cpuBefore;
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
    edgeCpuMs: result.requests.total > 0 ? (cpu * 1000) / result.requests.total : 0,
  };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

try {
  start('identity', 'services/identity/src/server.ts', { PORT: String(ports.identity) });
  await waitFor(`${url(ports.identity)}/health/ready`);
  start('gateway', 'services/gateway/src/server.ts', { PORT: String(ports.gateway), IDENTITY_URL: url(ports.identity), AMQP_URL: undefined });
  start('express', 'bench/baselines/express-gateway/server.mjs', { PORT: String(ports.express), UPSTREAM_URL: url(ports.identity) });
  await waitFor(`${url(ports.gateway)}/health/ready`);
  await waitFor(`${url(ports.express)}/.well-known/jwks.json`);

  const registered = await fetch(`${url(ports.identity)}/api/v1/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: `bench-${runId}@example.com`, username: `bench_${runId}`.slice(0, 30), password: 'bench-password-1' }),
  });
  if (registered.status !== 201) throw new Error(`registration failed: ${registered.status} ${await registered.text()}`);
  const { accessToken } = (await registered.json()) as { accessToken: string };

  const targets = { direct: url(ports.identity), gateway: url(ports.gateway), express: url(ports.express) };
  const edges = { direct: undefined, gateway: childByName.get('gateway'), express: childByName.get('express') };
  for (const target of Object.values(targets)) await measure(target, accessToken, 2); // warm-up: JIT, pools, JWKS

  const samples: Record<keyof typeof targets, Sample[]> = { direct: [], gateway: [], express: [] };
  for (let round = 1; round <= rounds; round += 1) {
    for (const [name, target] of Object.entries(targets) as [keyof typeof targets, string][]) {
      const sample = await measure(target, accessToken, seconds, edges[name]);
      samples[name].push(sample);
      process.stderr.write(`round ${round} ${name.padEnd(8)} ${sample.rps.toFixed(0)} req/s p50 ${sample.p50} ms p99 ${sample.p99} ms errors ${sample.errors} edge CPU ${sample.edgeCpuMs.toFixed(3)} ms/req\n`);
    }
  }

  const summary = Object.fromEntries(
    (Object.keys(samples) as (keyof typeof targets)[]).map((name) => [
      name,
      {
        rps: median(samples[name].map((sample) => sample.rps)),
        p50: median(samples[name].map((sample) => sample.p50)),
        p99: median(samples[name].map((sample) => sample.p99)),
        errors: samples[name].reduce((sum, sample) => sum + sample.errors, 0),
        edgeCpuMs: median(samples[name].map((sample) => sample.edgeCpuMs)),
      },
    ]),
  ) as Record<keyof typeof targets, Sample>;
  const ratios = {
    gatewayOverDirect: summary.gateway.rps / summary.direct.rps,
    gatewayOverExpress: summary.gateway.rps / summary.express.rps,
    expressCpuOverGatewayCpu: summary.express.edgeCpuMs / summary.gateway.edgeCpuMs,
  };
  const machine = { cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.availableParallelism(), memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, database: process.env['DATABASE_URL'] ? 'postgres' : 'pglite' };

  const lines = [
    '',
    `GET /api/v1/auth/me, ${connections} connections, ${rounds} rounds × ${seconds} s, medians`,
    `machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}, identity on ${machine.database}`,
    '',
    'target     req/s    p50 ms  p99 ms  errors  edge CPU ms/req',
    ...Object.entries(summary).map(([name, sample]) =>
      `${name.padEnd(9)} ${sample.rps.toFixed(0).padStart(6)}  ${String(sample.p50).padStart(6)}  ${String(sample.p99).padStart(6)}  ${String(sample.errors).padStart(6)}  ${name === 'direct' ? '             -' : sample.edgeCpuMs.toFixed(3).padStart(14)}`,
    ),
    '',
    `gateway / direct : ${(ratios.gatewayOverDirect * 100).toFixed(1)} % of direct throughput (target ≥ 40 %)`,
    `gateway / express: ${ratios.gatewayOverExpress.toFixed(2)}× the Express stack's throughput (target ≥ 4×)`,
    `edge CPU per request: the Express stack spends ${ratios.expressCpuOverGatewayCpu.toFixed(2)}× what the gateway does`,
    '',
  ];
  process.stdout.write(lines.join('\n'));
  mkdirSync(path.join(root, 'bench/results'), { recursive: true });
  writeFileSync(path.join(root, 'bench/results', `gateway-${runId}.json`), JSON.stringify({ machine, connections, rounds, seconds, samples, summary, ratios }, null, 2));
} finally {
  await stopAll();
  await dropDatabases(`bench_${runId}`);
}

/** The run's databases are throwaway: drop them so repeated runs leave nothing behind. */
