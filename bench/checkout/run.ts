/**
 * bench/checkout: the checkout saga under load, through the gateway, in the distributed mode.
 *
 *   npm run bench:checkout [-- --rate 50 --seconds 60 --mix-rate 160 --mix-seconds 60]
 *
 * 1. Starts every service as its own process on DATABASE_URL, AMQP_URL, REDIS_URL (databases of
 *    this run, dropped at the end), makes a seller, `--products` products and `--buyers` buyers.
 * 2. Checkouts at a fixed arrival rate (open loop): each `POST /orders` buys one unit of a random
 *    product with its own Idempotency-Key; one in twenty cards is declined. Products hold fewer
 *    units in total than are asked for, so the last units are fought over and some orders must
 *    be cancelled out_of_stock: that is where overselling would show.
 * 3. An Online Boutique-like shopping mix at `--mix-rate`: browse a product 10, view the cart 3,
 *    add to the cart 2, check the cart out 1.
 * 4. Prints, per phase, the saga latency from when each `POST /orders` was due to when its order
 *    was confirmed (the order's `updatedAt`; p50/p99), the outcomes, the request errors, the units
 *    oversold (confirmed beyond what was stocked) and the orders stuck pending `--settle` seconds
 *    after the last checkout, then reads the catalog's own counts: units still held by
 *    reservations, and products whose available + reserved + sold differs from what was stocked.
 *
 * The load generator runs on the same two cores as the platform; its own CPU is part of the load.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { startDistributedPlatform } from '../../apps/platform/src/distributed-platform.ts';
import { deleteNamespace } from '@agora/kit/bus/rabbitmq-namespace';
import { services } from '@agora/contracts/services';
import { databaseUrlFor, dropDatabases } from '../lib/databases.ts';
import { runAtFixedRate, type PlannedRequest, type RunResult } from '../lib/open-loop.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { values: args } = parseArgs({
  options: {
    rate: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '60' },
    'mix-rate': { type: 'string', default: '160' },
    'mix-seconds': { type: 'string', default: '60' },
    products: { type: 'string', default: '40' },
    /** Units of each product: together fewer than the checkouts ask for, so stock runs out. */
    units: { type: 'string', default: '60' },
    buyers: { type: 'string', default: '200' },
    settle: { type: 'string', default: '10' },
  },
});
const rate = Number(args.rate);
const seconds = Number(args.seconds);
const mixRate = Number(args['mix-rate']);
const mixSeconds = Number(args['mix-seconds']);
const productCount = Number(args.products);
const unitsEach = Number(args.units);
const buyerCount = Number(args.buyers);
const settleSeconds = Number(args.settle);
const runId = `${Date.now()}`;
/** This run's exchange and queues on the broker (see RabbitBusOptions.namespace). */
const namespace = `bench-${runId}`;

for (const key of ['DATABASE_URL', 'AMQP_URL', 'REDIS_URL']) {
  if (!process.env[key]) {
    process.stderr.write(`bench/checkout runs the distributed mode: it needs DATABASE_URL, AMQP_URL and REDIS_URL\n`);
    process.exit(2);
  }
}

const databaseUrl = databaseUrlFor(process.env['DATABASE_URL']!, `bench_${runId}`);
const admin = { email: 'bench-admin@example.com', password: 'bench admin password' };
const shippingAddress = { name: 'Bench Buyer', line1: '1 Load Street', city: 'Testville', postalCode: '00000', country: 'US' };

interface Answer {
  status: number;
  body: any;
}

async function call(base: string, method: string, route: string, options: { token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers['authorization'] = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${base}/api/v1${route}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

async function expectOk(answer: Promise<Answer>, what: string): Promise<any> {
  const { status, body } = await answer;
  if (status >= 300) throw new Error(`${what}: ${status} ${JSON.stringify(body)}`);
  return body;
}

async function inBatches<T, R>(items: T[], size: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += size) results.push(...(await Promise.all(items.slice(start, start + size).map((item, i) => work(item, start + i)))));
  return results;
}

const percentile = (sorted: number[], q: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!);

/** What one phase's checkouts came to, read back through the API once the saga has had its say. */
interface SagaReport {
  checkouts: number;
  created: number;
  confirmed: number;
  cancelled: Record<string, number>;
  stuck: number;
  sagaP50Ms: number;
  sagaP99Ms: number;
  decidedP99Ms: number;
}

const started = performance.now();
const platform = await startDistributedPlatform({
  env: {
    ...process.env,
    DATABASE_URL: databaseUrl,
    AMQP_NAMESPACE: namespace,
    AGORA_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'agora-bench-checkout-')),
    AGORA_ADMIN_EMAIL: admin.email,
    AGORA_ADMIN_PASSWORD: admin.password,
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
    // One generator is every client; the per-client limit would refuse it.
    RATE_LIMIT_PER_MINUTE: '1000000000',
  },
  portBase: 18_680,
  // BENCH_OUTPUT=inherit shows the services' warnings (retries, timeouts) beside the figures.
  output: process.env['BENCH_OUTPUT'] === 'inherit' ? 'inherit' : 'ignore',
  readyTimeoutMs: 120_000,
});
const base = platform.url;
const results: Record<string, unknown> = { machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version }, rate, seconds, mixRate, mixSeconds, productCount, unitsEach, buyerCount };

try {
  await platform.waitReady(120_000);
  process.stderr.write(`platform ready in ${((performance.now() - started) / 1000).toFixed(1)} s; making the shop\n`);
  const adminToken = (await expectOk(call(base, 'POST', '/auth/login', { body: admin }), 'admin login')).accessToken as string;
  const register = async (name: string) =>
    expectOk(call(base, 'POST', '/auth/register', { body: { email: `${name}@bench.example`, username: name, password: 'bench password 123' } }), `register ${name}`);
  const sellerSession = await register(`seller_${runId.slice(-6)}`);
  await expectOk(call(base, 'PUT', `/auth/users/${sellerSession.user.id}/roles`, { token: adminToken, body: { roles: ['user', 'seller'] } }), 'seller role');
  const sellerToken = (await expectOk(call(base, 'POST', '/auth/refresh', { body: { refreshToken: sellerSession.refreshToken } }), 'seller refresh')).accessToken as string;

  const newProducts = (label: string) =>
    inBatches(Array.from({ length: productCount }), 8, (_, i) =>
      expectOk(
        call(base, 'POST', '/products', { token: sellerToken, body: { name: `${label} ${i}`, description: `Benchmark ${label.toLowerCase()} number ${i}`, priceCents: 500 + i * 25, stock: unitsEach } }),
        'product',
      ),
    );
  const buyers: string[] = (await inBatches(Array.from({ length: buyerCount }), 16, (_, i) => register(`b${runId.slice(-6)}_${i}`))).map((session) => session.accessToken);

  /** Waits until orders has the products (it learns them by events). */
  const untilOrderable = async (productId: string) => {
    for (const deadline = Date.now() + 30_000; Date.now() < deadline; ) {
      const { status } = await call(base, 'POST', '/orders', {
        token: buyers[0],
        headers: { 'idempotency-key': randomUUID() },
        body: { shippingAddress, paymentMethod: 'pm_card_declined', items: [{ productId, quantity: 1 }] },
      });
      if (status === 201) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('orders never learned the products');
  };

  /** Every order the admin can see, newest first. */
  const allOrders = async (): Promise<any[]> => {
    const items: any[] = [];
    for (let cursor: string | null = null; ; ) {
      const page: any = await expectOk(call(base, 'GET', `/orders?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token: adminToken }), 'orders');
      items.push(...page.items);
      cursor = page.nextCursor;
      if (!cursor) return items;
    }
  };

  /** Waits up to --settle s for the phase's orders to be decided, then reads how they ended. */
  const sagaOf = async (sentAt: Map<string, number>, checkouts: number): Promise<SagaReport> => {
    let mine: any[] = [];
    for (const deadline = Date.now() + settleSeconds * 1_000; ; ) {
      mine = (await allOrders()).filter((order) => sentAt.has(order.id));
      if (mine.every((order) => order.status !== 'pending') || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const confirmed = mine.filter((order) => order.status === 'confirmed');
    const latency = (orders: any[]) => orders.map((order) => Date.parse(order.updatedAt) - sentAt.get(order.id)!).sort((a, b) => a - b);
    const toConfirmed = latency(confirmed);
    const decided = latency(mine.filter((order) => order.status !== 'pending'));
    const cancelled: Record<string, number> = {};
    for (const order of mine.filter((o) => o.status === 'cancelled')) cancelled[order.cancelReason] = (cancelled[order.cancelReason] ?? 0) + 1;
    return {
      checkouts,
      created: mine.length,
      confirmed: confirmed.length,
      cancelled,
      stuck: mine.filter((order) => order.status === 'pending').length,
      sagaP50Ms: percentile(toConfirmed, 0.5),
      sagaP99Ms: percentile(toConfirmed, 0.99),
      decidedP99Ms: percentile(decided, 0.99),
    };
  };

  /** Units confirmed beyond what was stocked, per the orders (what buyers were promised). */
  const oversold = (orders: any[], products: any[]) => {
    const sold = new Map<string, number>();
    for (const order of orders.filter((o) => o.status === 'confirmed')) for (const line of order.items) sold.set(line.productId, (sold.get(line.productId) ?? 0) + line.quantity);
    return products.reduce((sum, product) => sum + Math.max(0, (sold.get(product.id) ?? 0) - unitsEach), 0);
  };

  const requestLine = (result: RunResult) =>
    result.byType
      .map((entry) => `${entry.type} ${entry.completed} ok / ${entry.errors} errors, p50 ${entry.p50.toFixed(1)} ms, p99 ${entry.p99.toFixed(1)} ms${entry.errors > 0 ? ` ${JSON.stringify(entry.statuses)}` : ''}`)
      .join('\n  ');
  const sagaLine = (saga: SagaReport) =>
    `saga (POST /orders due → confirmed): p50 ${saga.sagaP50Ms.toFixed(0)} ms, p99 ${saga.sagaP99Ms.toFixed(0)} ms (p99 to any decision ${saga.decidedP99Ms.toFixed(0)} ms)\n` +
    `  ${saga.created} orders of ${saga.checkouts} checkouts: ${saga.confirmed} confirmed, cancelled ${JSON.stringify(saga.cancelled)}, ${saga.stuck} stuck pending after ${settleSeconds} s`;

  // Phase 1: checkouts at a fixed rate.
  const fought = await newProducts('Crate');
  await untilOrderable(fought.at(-1).id);
  const sentAt = new Map<string, number>();
  let n = 0;
  const checkout = (): PlannedRequest => {
    n += 1;
    const product = fought[Math.floor(Math.random() * fought.length)];
    return {
      type: 'checkout',
      method: 'POST',
      path: '/api/v1/orders',
      token: buyers[Math.floor(Math.random() * buyers.length)],
      headers: { 'idempotency-key': randomUUID() },
      body: { shippingAddress, paymentMethod: n % 20 === 0 ? 'pm_card_declined' : 'pm_card_ok', items: [{ productId: product.id, quantity: 1 }] },
      onAnswer: ({ status, body, dueAt }) => {
        if (status === 201) sentAt.set(JSON.parse(body).id, dueAt);
      },
    };
  };
  process.stderr.write(`checkouts: ${rate}/s for ${seconds} s over ${productCount} products of ${unitsEach} units\n`);
  const fixed = await runAtFixedRate({ url: base, ratePerSecond: rate, seconds, next: checkout });
  const fixedSaga = await sagaOf(sentAt, fixed.offered);
  const fixedOversold = oversold(await allOrders(), fought);
  process.stdout.write(
    `checkouts at ${rate}/s for ${seconds} s: ${fixed.throughput.toFixed(1)} req/s answered\n  ${requestLine(fixed)}\n  ${sagaLine(fixedSaga)}\n  oversold units: ${fixedOversold}\n`,
  );
  results['checkouts'] = { requests: fixed, saga: fixedSaga, oversold: fixedOversold };

  // Phase 2: the Online Boutique-like mix, on fresh products.
  const shelf = await newProducts('Gadget');
  await untilOrderable(shelf.at(-1).id);
  const mixSentAt = new Map<string, number>();
  /** Buyers whose cart holds something (as far as the answers so far tell). */
  const withCart = new Set<number>();
  const pick = <T>(list: T[]) => list[Math.floor(Math.random() * list.length)]!;
  const weights: [string, number][] = [
    ['browse product', 10],
    ['view cart', 3],
    ['add to cart', 2],
    ['checkout', 1],
  ];
  const total = weights.reduce((sum, [, weight]) => sum + weight, 0);
  const mix = (): PlannedRequest => {
    let roll = Math.random() * total;
    const [kind] = weights.find(([, weight]) => (roll -= weight) < 0)!;
    const who = Math.floor(Math.random() * buyers.length);
    const token = buyers[who]!;
    if (kind === 'browse product') return { type: kind, method: 'GET', path: `/api/v1/products/${pick(shelf).id}` };
    if (kind === 'view cart') return { type: kind, method: 'GET', path: '/api/v1/cart', token };
    const ready = [...withCart];
    if (kind === 'checkout' && ready.length > 0) {
      const buyer = pick(ready);
      withCart.delete(buyer);
      return {
        type: kind,
        method: 'POST',
        path: '/api/v1/orders',
        token: buyers[buyer]!,
        headers: { 'idempotency-key': randomUUID() },
        body: { shippingAddress, paymentMethod: 'pm_card_ok' },
        onAnswer: ({ status, body, dueAt }) => {
          if (status === 201) mixSentAt.set(JSON.parse(body).id, dueAt);
        },
      };
    }
    return {
      type: 'add to cart',
      method: 'PUT',
      path: `/api/v1/cart/items/${pick(shelf).id}`,
      token,
      body: { quantity: 1 + Math.floor(Math.random() * 2) },
      onAnswer: ({ status }) => {
        if (status === 200) withCart.add(who);
      },
    };
  };
  process.stderr.write(`shopping mix: ${mixRate}/s for ${mixSeconds} s\n`);
  const shopping = await runAtFixedRate({ url: base, ratePerSecond: mixRate, seconds: mixSeconds, next: mix });
  const mixSaga = await sagaOf(mixSentAt, mixSentAt.size);
  const orders = await allOrders();
  const mixOversold = oversold(orders, shelf);
  process.stdout.write(
    `shopping mix at ${mixRate}/s for ${mixSeconds} s: ${shopping.throughput.toFixed(1)} req/s answered\n  ${requestLine(shopping)}\n  ${sagaLine(mixSaga)}\n  oversold units: ${mixOversold}\n`,
  );
  results['mix'] = { requests: shopping, saga: mixSaga, oversold: mixOversold };

  // The catalog's own books: nothing held once every order is decided, every product adds up.
  const catalog = new pg.Client({ connectionString: `${databaseUrl}_catalog` });
  await catalog.connect();
  try {
    const { rows } = await catalog.query<{ held: string; broken: string; negative: string }>(
      `select coalesce(sum(reserved), 0) as held,
              count(*) filter (where available + reserved + sold <> stocked) as broken,
              count(*) filter (where available < 0) as negative
         from products`,
    );
    const books = { heldUnits: Number(rows[0]!.held), productsNotAddingUp: Number(rows[0]!.broken), negativeStock: Number(rows[0]!.negative), stuckOrders: orders.filter((o) => o.status === 'pending').length };
    process.stdout.write(`catalog: ${books.heldUnits} units held by reservations, ${books.productsNotAddingUp} products not adding up, ${books.negativeStock} below zero; ${books.stuckOrders} orders pending\n`);
    results['books'] = books;
  } finally {
    await catalog.end();
  }
  mkdirSync(path.join(root, 'bench/results'), { recursive: true });
  writeFileSync(path.join(root, 'bench/results', `checkout-${runId}.json`), JSON.stringify(results, null, 2));
} finally {
  await platform.close();
  await dropDatabases(`bench_${runId}`);
  await deleteNamespace({ url: process.env['AMQP_URL']!, namespace, queues: services.filter((service) => service.built).map((service) => service.name).concat('gateway') });
}
