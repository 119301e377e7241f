/**
 * bench/social: DeathStarBench's social-network mix on its own graph, through the gateway.
 *
 *   npm run bench:social [-- --mode embedded|distributed|both --rate 1000,500 --embedded-rate 200,100 --seconds 30]
 *
 * 1. Starts the platform (embedded: `npm start`'s entry as a child process; distributed: every
 *    service its own process on DATABASE_URL, AMQP_URL, REDIS_URL, in databases of this run).
 * 2. Loads socfb-Reed98 (962 people, 18,812 friendships followed both ways) through the public
 *    API, with `--posts-each` posts per person so timelines have something to page through.
 * 3. Offers the mix at a fixed arrival rate — 60 % read home timeline, 30 % read user timeline,
 *    10 % compose post; reads are 10 posts from an offset of 0–100 — after a warm-up, and prints
 *    throughput and p50/p99 per request type (latency from when each request was due).
 * 4. Distributed only: one author with `--followers` followers posts, and the time until the post
 *    is in every follower's feed is measured (see fanOutToFollowers).
 *
 * The load generator runs on the same two cores as the platform; its own CPU is part of the load.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createRabbitBus } from '@agora/kit/bus/rabbitmq-bus';
import { createEvent } from '@agora/kit/bus/outbox';
import { newId } from '@agora/kit/ids';
import { startDistributedPlatform, type DistributedPlatform } from '../../apps/platform/src/distributed-platform.ts';
import { communityFromEdges } from '../../apps/platform/src/demo/community.ts';
import { loadCommunity, refreshSession, type LoadedCommunity } from '../../apps/platform/src/demo/load-community.ts';
import { runAtFixedRate, type PlannedRequest, type RunResult } from '../lib/open-loop.ts';
import { dropDatabases } from '../lib/databases.ts';
import { deleteNamespace } from '@agora/kit/bus/rabbitmq-namespace';
import { services } from '@agora/contracts/services';

const builtQueues = services.filter((service) => service.built).map((service) => service.name).concat('gateway');

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { values: args } = parseArgs({
  options: {
    mode: { type: 'string', default: 'both' },
    /** Arrival rates to offer, one run each, comma-separated. */
    rate: { type: 'string', default: '1000,500' },
    /** The embedded platform is one process (one core for every service and PGlite): offered less. */
    'embedded-rate': { type: 'string', default: '200,100' },
    seconds: { type: 'string', default: '30' },
    warmup: { type: 'string', default: '10' },
    'posts-each': { type: 'string', default: '10' },
    followers: { type: 'string', default: '10000' },
    graph: { type: 'string', default: path.join(root, '..', 'shared', 'datasets', 'socfb-Reed98', 'socfb-Reed98.edges') },
  },
});
const ratesOf = (mode: string) => (mode === 'embedded' ? args['embedded-rate'] : args.rate).split(',').map(Number);
const seconds = Number(args.seconds);
const warmup = Number(args.warmup);
const postsEach = Number(args['posts-each']);
const fanOutFollowers = Number(args.followers);
const modes = args.mode === 'both' ? ['embedded', 'distributed'] : [args.mode];
const runId = `${Date.now()}`;
/** This run's exchange and queues on the broker (see RabbitBusOptions.namespace). */
const namespace = `bench-${runId}`;
const distributedUrls = ['DATABASE_URL', 'AMQP_URL', 'REDIS_URL'] as const;

if (modes.some((mode) => mode !== 'embedded' && mode !== 'distributed')) {
  process.stderr.write('--mode is embedded, distributed or both\n');
  process.exit(2);
}
if (modes.includes('distributed') && distributedUrls.some((key) => !process.env[key])) {
  process.stderr.write(`the distributed mode needs ${distributedUrls.join(', ')}\n`);
  process.exit(2);
}

const benchEnv = {
  ...process.env,
  LOG_LEVEL: 'warn',
  NODE_ENV: 'production',
  // The loader and the generator are one client; the platform's per-client limit would refuse them.
  RATE_LIMIT_PER_MINUTE: '1000000000',
  // Far above the fan-out scenario's author, so that post takes the fan-out-on-write path (the
  // slow one): over-the-limit authors are merged at read time and are in feeds at once.
  FEED_FANOUT_LIMIT: String(fanOutFollowers * 2),
};

interface Platform {
  url: string;
  close(): Promise<void>;
}

async function startEmbedded(): Promise<Platform> {
  const port = 18380;
  const child: ChildProcess = spawn(process.execPath, [path.join(root, 'apps/platform/src/embedded.ts')], {
    cwd: root,
    env: { ...benchEnv, PORT: String(port), AGORA_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'agora-bench-social-')), DATABASE_URL: '', AMQP_URL: '', REDIS_URL: '' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitReady(url, child);
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function startDistributed(): Promise<Platform & { platform: DistributedPlatform; databaseUrl: string }> {
  const databaseUrl = process.env['DATABASE_URL']!.replace(/\/[^/]*$/, `/bench_${runId}`);
  const platform = await startDistributedPlatform({
    env: { ...benchEnv, DATABASE_URL: databaseUrl, AMQP_NAMESPACE: namespace, AGORA_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'agora-bench-social-')) },
    portBase: 18480,
    output: 'ignore',
    readyTimeoutMs: 120_000,
  });
  return { url: platform.url, platform, databaseUrl, close: () => platform.close() };
}

async function waitReady(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the platform exited (${child.exitCode}) before it was ready`);
    try {
      if ((await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(1_000) })).ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${url} was not ready within 120 s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** DeathStarBench's mix: 60 % home timeline, 30 % user timeline, 10 % compose; reads of 10 from offset 0–100. */
function socialMix(loaded: LoadedCommunity): () => PlannedRequest {
  const people = loaded.people;
  const anyone = () => people[Math.floor(Math.random() * people.length)]!;
  const offset = () => Math.floor(Math.random() * 101);
  let composed = 0;
  return () => {
    const roll = Math.random();
    if (roll < 0.6) return { type: 'home timeline', method: 'GET', path: `/api/v1/feed?limit=10&offset=${offset()}`, token: anyone().accessToken };
    if (roll < 0.9) return { type: 'user timeline', method: 'GET', path: `/api/v1/users/${anyone().id}/posts?limit=10&offset=${offset()}` };
    return { type: 'compose post', method: 'POST', path: '/api/v1/posts', token: anyone().accessToken, body: { text: `Benchmark post ${++composed} at ${new Date().toISOString()}` } };
  };
}

/**
 * One author with `followers` followers posts; measures until the post is in every follower's
 * home feed. 20 followers are real accounts (registered and following through the API) whose
 * feeds are read through the gateway; the rest are made by publishing on the broker what
 * identity and users would publish for them (registering 10,000 accounts through Argon2 would
 * take longer than the rest of the bench), and their feed entries are counted in posts' database.
 * Those followers exist only in the follow graph: nothing else reads them here.
 */
async function fanOutToFollowers(platform: { url: string; databaseUrl: string }, followers: number): Promise<Record<string, number>> {
  const real = 20;
  const loaded = await loadCommunity(
    { people: Array.from({ length: real + 1 }, (_, index) => ({ username: `star_${runId}_${index}`, displayName: `Star ${index}` })), follows: Array.from({ length: real }, (_, index): [number, number] => [index + 1, 0]), posts: [], likes: [], comments: [] },
    { url: platform.url, progress: null },
  );
  const author = loaded.people[0]!;
  const bus = await createRabbitBus({ url: process.env['AMQP_URL']!, namespace });
  const synthetic = followers - real;
  const publishStarted = performance.now();
  try {
    for (let index = 0; index < synthetic; index++) {
      // Only the follow: posts' fan-out reads its own follow projection, and a user.registered for
      // each would only make every other service's projections busy for nothing here.
      await bus.publish(createEvent('user.followed', { followerId: newId(), followeeId: author.id }, { producer: 'users' }));
    }
  } finally {
    await bus.close();
  }
  const posts = new pg.Client({ connectionString: platform.databaseUrl.replace(/\/([^/]*)$/, '/$1_posts') });
  await posts.connect();
  try {
    // The graph must be in posts' projection before the post, or fan-out has nobody to reach.
    const graphDeadline = Date.now() + 300_000;
    while (Number((await posts.query('select count(*)::int as n from follows where followee_id = $1 and active', [author.id])).rows[0].n) < followers) {
      if (Date.now() > graphDeadline) throw new Error('posts did not receive every follow within 300 s');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const graphSeconds = (performance.now() - publishStarted) / 1000;
    const started = performance.now();
    const response = await fetch(`${platform.url}/api/v1/posts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${author.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'One post, ten thousand feeds' }),
    });
    if (response.status !== 201) throw new Error(`compose answered ${response.status}`);
    const postId = ((await response.json()) as { id: string }).id;
    const createdMs = performance.now() - started;
    const inFeed = async (token: string) => {
      for (;;) {
        const feed = await fetch(`${platform.url}/api/v1/feed?limit=5`, { headers: { authorization: `Bearer ${token}` } });
        const body = (await feed.json()) as { items: { id: string }[] };
        if (body.items.some((item) => item.id === postId)) return performance.now() - started;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    };
    const entries = async () => {
      for (;;) {
        const { rows } = await posts.query('select count(*)::int as n from feed_entries where post_id = $1', [postId]);
        if (Number(rows[0].n) >= followers) return performance.now() - started;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    };
    const [allEntriesMs, ...realFeedsMs] = await Promise.all([entries(), ...loaded.people.slice(1).map((person) => inFeed(person.accessToken))]);
    return { followers, graphSeconds, composeMs: createdMs, allFeedEntriesMs: allEntriesMs, lastRealFeedMs: Math.max(...realFeedsMs) };
  } finally {
    await posts.end();
  }
}

function report(mode: string, rate: number, result: RunResult): string {
  const lines = [
    `${mode}: offered ${rate}/s for ${seconds} s → ${result.throughput.toFixed(0)} req/s completed, ${result.dropped} dropped`,
    '  type            completed  errors    p50 ms    p99 ms    max ms',
  ];
  for (const entry of result.byType.sort((a, b) => a.type.localeCompare(b.type))) {
    lines.push(
      `  ${entry.type.padEnd(15)} ${String(entry.completed).padStart(9)} ${String(entry.errors).padStart(7)} ${entry.p50.toFixed(1).padStart(9)} ${entry.p99.toFixed(1).padStart(9)} ${entry.max.toFixed(1).padStart(9)}` +
        (entry.errors > 0 ? `  ${JSON.stringify(entry.statuses)}` : ''),
    );
  }
  return lines.join('\n');
}

/**
 * After the bulk load, as an operator would after one (autovacuum gets there on its own later):
 * fresh statistics, and visibility maps that let the timeline indexes answer without the heap.
 */
async function vacuum(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: process.env['DATABASE_URL'] });
  await client.connect();
  try {
    const prefix = new URL(databaseUrl).pathname.slice(1);
    const { rows } = await client.query<{ datname: string }>('select datname from pg_database where datname like $1', [`${prefix}_%`]);
    for (const { datname } of rows) {
      const one = new pg.Client({ connectionString: databaseUrl.replace(/\/[^/]*$/, `/${datname}`) });
      await one.connect();
      await one.query('vacuum analyze').finally(() => one.end());
    }
  } finally {
    await client.end();
  }
}


const results: Record<string, unknown> = { machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version }, seconds, warmup, postsEach };
try {
  for (const mode of modes) {
    process.stderr.write(`\n== ${mode}: starting the platform\n`);
    const platform: Platform & { databaseUrl?: string } = mode === 'embedded' ? await startEmbedded() : await startDistributed();
    try {
      const community = await communityFromEdges(args.graph, { postsEach, prefix: `reed${runId.slice(-6)}_` });
      const loadStarted = performance.now();
      const loaded = await loadCommunity(community, { url: platform.url, concurrency: 32 });
      const loadSeconds = (performance.now() - loadStarted) / 1000;
      if (platform.databaseUrl !== undefined) await vacuum(platform.databaseUrl);
      // A long load outlasts access tokens: everyone starts the mix with a fresh one.
      for (const person of loaded.people) await refreshSession(platform.url, person);
      process.stderr.write(`loaded in ${loadSeconds.toFixed(0)} s\n`);
      const next = socialMix(loaded);
      const mixes: Record<string, RunResult> = {};
      for (const rate of ratesOf(mode)) {
        process.stderr.write(`warming up ${warmup} s at ${rate}/s\n`);
        await runAtFixedRate({ url: platform.url, ratePerSecond: rate, seconds: warmup, next });
        const result = await runAtFixedRate({ url: platform.url, ratePerSecond: rate, seconds, next });
        process.stdout.write(`${report(mode, rate, result)}\n`);
        mixes[rate] = result;
      }
      const entry: Record<string, unknown> = { loadSeconds, mixes };
      if (platform.databaseUrl !== undefined) {
        const fanOut = await fanOutToFollowers({ url: platform.url, databaseUrl: platform.databaseUrl }, fanOutFollowers);
        process.stdout.write(
          `  fan-out: a post by an author with ${fanOut['followers']} followers was in every follower's feed ${(fanOut['allFeedEntriesMs']! / 1000).toFixed(2)} s after compose began ` +
            `(real followers' feeds via the gateway: ${(fanOut['lastRealFeedMs']! / 1000).toFixed(2)} s; compose answered in ${fanOut['composeMs']!.toFixed(0)} ms)\n`,
        );
        entry['fanOut'] = fanOut;
      }
      results[mode] = entry;
    } finally {
      await platform.close();
    }
  }
  mkdirSync(path.join(root, 'bench/results'), { recursive: true });
  writeFileSync(path.join(root, 'bench/results', `social-${runId}.json`), JSON.stringify(results, null, 2));
} finally {
  await dropDatabases(`bench_${runId}`);
  if (modes.includes('distributed')) await deleteNamespace({ url: process.env['AMQP_URL']!, namespace, queues: builtQueues });
}
