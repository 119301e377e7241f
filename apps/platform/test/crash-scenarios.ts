/**
 * The checkout saga survives its services dying mid-flight. On PostgreSQL, RabbitMQ and Redis,
 * with every service its own process, buyers keep checking out (retrying with the same
 * Idempotency-Key, as a client should) while orders, catalog and payments are killed with
 * SIGKILL and restarted by the supervisor. Afterwards no order is pending, no stock is held by
 * a reservation, every unit is accounted for, every confirmed order was charged exactly once and
 * no cancelled order keeps a charge.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { DistributedPlatform } from '../src/distributed-platform.ts';
import { call, eventually, type PlatformUnderTest } from './client.ts';
import { shippingAddress, shop, type Shopper } from './shoppers.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The settings the platform under test must run with: short saga and claim timeouts, and no per-client limit in the way. */
export const CRASH_SETTINGS = {
  /** How long a step may stay unanswered before orders cancels: short, so the test sees timeouts resolve. */
  ORDER_PENDING_TIMEOUT_MS: '6000',
  IDEMPOTENCY_CLAIM_TIMEOUT_MS: '3000',
  // Every buyer here comes from one address.
  RATE_LIMIT_PER_MINUTE: '100000',
};
const PENDING_TIMEOUT_MS = Number(CRASH_SETTINGS.ORDER_PENDING_TIMEOUT_MS);

export interface CrashablePlatform extends PlatformUnderTest {
  processes: DistributedPlatform['processes'];
  waitReady: DistributedPlatform['waitReady'];
  /** The platform's DATABASE_URL: catalog's books are read from `<it>_catalog`. */
  databaseUrl: string;
}

export function crashScenarios(target: () => CrashablePlatform): void {
  describe('checkout while services are killed', () => {
    it('leaves no order pending, no reservation leaked and no double charge', async () => {
      const platform = target();
      const { api, admin: adminToken, buyer, seller, product } = shop(target);
      const shopkeeper = await seller();
      const stocked = 40;
      const products = await Promise.all([0, 1, 2].map((i) => product(shopkeeper, { name: `Crate ${i}`, stock: stocked, priceCents: 500 + i })));
      const buyers = await Promise.all(Array.from({ length: 12 }, (_, i) => buyer(`crash${i}`)));
      // Orders learns products by events: wait until it takes one before the storm.
      await eventually(5_000, async () => {
        const reply = await api('POST', '/orders', { token: buyers[0]!.token, headers: { 'idempotency-key': randomUUID() }, body: { shippingAddress, paymentMethod: 'pm_card_ok', items: [{ productId: products[2]!.id, quantity: 1 }] } });
        assert.equal(reply.status, 201, reply.text);
      });

      /** One checkout as a careful client makes it: the same key until an answer that isn't 409 or 5xx. */
      const created = new Set<string>();
      let attempts = 0;
      const checkoutOnce = async (who: Shopper, index: number) => {
        const key = randomUUID();
        const body = {
          shippingAddress,
          paymentMethod: index % 5 === 4 ? 'pm_card_declined' : 'pm_card_ok',
          items: [{ productId: products[index % products.length]!.id, quantity: 1 + (index % 2) }],
        };
        const deadline = Date.now() + 60_000;
        for (;;) {
          attempts += 1;
          const reply = await call(platform.url, 'POST', '/api/v1/orders', { token: who.token, headers: { 'idempotency-key': key }, body }).catch(() => null);
          if (reply && reply.status === 201) {
            created.add(reply.body.id);
            return;
          }
          if (reply && reply.status < 500 && reply.status !== 409) assert.fail(`checkout answered ${reply.status}: ${reply.text}`);
          if (Date.now() > deadline) assert.fail(`checkout never went through: ${reply?.status}`);
          await sleep(100);
        }
      };

      let running = true;
      const shoppers = buyers.map(async (who, b) => {
        for (let i = 0; running; i += 1) await checkoutOnce(who, b + i * buyers.length);
      });
      const killer = (async () => {
        for (const name of ['orders', 'catalog', 'payments', 'orders', 'catalog', 'payments']) {
          await sleep(1_500);
          platform.processes[name]!.kill('SIGKILL');
        }
        await sleep(1_500);
        running = false;
      })();
      await killer;
      await Promise.all(shoppers);
      await platform.waitReady();
      assert.ok(created.size > 20, `only ${created.size} orders were made`);

      const token = await adminToken();
      const allOrders = async () => {
        const items: any[] = [];
        for (let cursor: string | null = null; ; ) {
          const page: any = (await api('GET', `/orders?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token })).body;
          items.push(...page.items);
          cursor = page.nextCursor;
          if (!cursor) return items;
        }
      };
      // Every order is decided: by the saga, or by the timeout when a step stayed unanswered.
      const orders = await eventually(PENDING_TIMEOUT_MS * 4, async () => {
        const found = await allOrders();
        const pending = found.filter((order) => order.status === 'pending');
        assert.equal(pending.length, 0, `${pending.length} orders still pending`);
        return found;
      });
      // One order per key: every order made in the storm is one the client was told of.
      const stormOrders = orders.filter((order) => created.has(order.id));
      assert.equal(stormOrders.length, created.size);

      // Stock: what is left is what was stocked less what confirmed orders bought, and nothing is held.
      const sold = new Map<string, number>();
      for (const order of orders.filter((o) => o.status === 'confirmed')) {
        for (const line of order.items) sold.set(line.productId, (sold.get(line.productId) ?? 0) + line.quantity);
      }
      const catalog = new pg.Client({ connectionString: `${platform.databaseUrl}_catalog` });
      await catalog.connect();
      try {
        /** Catalog's reservations that disagree with the order's outcome: what a failure below is about. */
        const disagreeing = async () => {
          const { rows } = await catalog.query<{ order_id: string; state: string; updated_at: Date }>(
            "select order_id, state, updated_at from reservations where state in ('reserved', 'committed')",
          );
          const statusOf = new Map(orders.map((order) => [order.id, order]));
          return rows
            .filter((row) => statusOf.get(row.order_id)?.status !== 'confirmed')
            .map((row) => {
              const order = statusOf.get(row.order_id);
              return `${row.order_id}: ${row.state} at ${row.updated_at.toISOString()}, order ${order ? `${order.status} ${order.cancelReason ?? ''} at ${order.updatedAt}` : 'unknown to orders'}`;
            });
        };
        // The last order.confirmed and order.cancelled may still be on their way to catalog: events
        // a killed relay had claimed go out when the claim's 15 s lease ends.
        await eventually(30_000, async () => {
          for (const item of products) {
            const reply = await api('GET', `/products/${item.id}`);
            assert.equal(reply.body.stock, stocked - (sold.get(item.id) ?? 0), `stock of ${item.name}; ${(await disagreeing()).join('; ')}`);
          }
          const { rows } = await catalog.query<{ held: string; broken: string }>(
            'select coalesce(sum(reserved), 0) as held, count(*) filter (where available + reserved + sold <> stocked) as broken from products',
          );
          assert.equal(Number(rows[0]!.held), 0, `units still held by reservations; ${(await disagreeing()).join('; ')}`);
          assert.equal(Number(rows[0]!.broken), 0, 'products whose counts do not add up');
        });
      } finally {
        await catalog.end();
      }

      // Payments: at most one per order; confirmed orders paid in full; no cancelled order keeps a charge.
      const payments = await eventually(30_000, async () => {
        const items: any[] = [];
        for (let cursor: string | null = null; ; ) {
          const page: any = (await api('GET', `/payments?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token })).body;
          items.push(...page.items);
          cursor = page.nextCursor;
          if (!cursor) break;
        }
        const byOrder = new Map(items.map((payment) => [payment.orderId, payment]));
        for (const order of orders) {
          const payment = byOrder.get(order.id);
          if (order.status === 'confirmed') {
            assert.equal(payment?.status, 'succeeded', `payment of confirmed order ${order.id}`);
            assert.equal(payment.amountCents, order.totalCents);
          } else {
            assert.notEqual(payment?.status, 'succeeded', `cancelled order ${order.id} (${order.cancelReason}) still charged`);
          }
        }
        return items;
      });
      assert.equal(new Set(payments.map((payment) => payment.orderId)).size, payments.length, 'an order paid twice');
      const outcome = Object.groupBy(orders, (order) => (order.status === 'confirmed' ? 'confirmed' : order.cancelReason));
      process.stdout.write(
        `# ${orders.length} orders after ${attempts} attempts: ${Object.entries(outcome)
          .map(([status, list]) => `${status} ${list?.length}`)
          .join(', ')}\n`,
      );
    });
  });
}
