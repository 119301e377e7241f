/**
 * The distributed platform with two gateway processes behind a real nginx on loopback
 * (deploy/nginx/nginx.loopback.conf): a client's requests are spread over both gateways, and
 * when one is killed mid-stream no more requests fail than were in flight at that moment (nginx
 * retries idempotent ones on the other gateway). Runs against distributed.test.ts's platform,
 * started with two gateways; skipped without nginx.
 */
import { before, after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { DistributedPlatform } from '../src/distributed-platform.ts';
import { findNginx, startLoopbackNginx, type LoopbackNginx } from './loopback-nginx.ts';
import { eventually } from './client.ts';

const nginxBinary = findNginx();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Outcome {
  id: string;
  method: string;
  /** null: no answer at all (the connection failed). */
  status: number | null;
  startedAt: number;
}

const failed = (outcome: Outcome) => outcome.status === null || outcome.status >= 500;

export interface BalancedPlatform {
  platform: DistributedPlatform;
  /** A scratch directory for nginx's config, logs and temp files. */
  dir: string;
  /** The port nginx listens on. */
  port: number;
  /** Makes this run's request ids unique. */
  tag: string;
}

export function loadBalancingScenarios(target: () => BalancedPlatform): void {
  describe('two gateways behind nginx', { skip: nginxBinary === null && 'no nginx on PATH or at /usr/sbin/nginx' }, () => {
    let nginx: LoopbackNginx | undefined;
    let sequence = 0;

    /** One request through nginx under an id of its own, which the access log records with the gateway that served it. */
    async function send(method: string, route: string, token?: string, body?: unknown): Promise<Outcome> {
      const id = `${target().tag}-${++sequence}`;
      const headers: Record<string, string> = { 'x-request-id': id };
      if (token) headers['authorization'] = `Bearer ${token}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      const startedAt = Date.now();
      try {
        const response = await fetch(`${nginx!.url}${route}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(20_000) });
        await response.arrayBuffer();
        return { id, method, status: response.status, startedAt };
      } catch {
        return { id, method, status: null, startedAt };
      }
    }

    async function register(name: string): Promise<string> {
      const username = `${name}_${randomUUID().slice(0, 8)}`;
      const response = await fetch(`${nginx!.url}/api/v1/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: `${username}@example.com`, username, password: 'correct horse battery staple' }),
      });
      assert.equal(response.status, 201, await response.clone().text());
      return ((await response.json()) as { accessToken: string }).accessToken;
    }

    /** What a signed-in client does: mostly reads, one write in five that is harmless to repeat. */
    const traffic = (token: string, n: number): Promise<Outcome> => {
      switch (n % 5) {
        case 0:
          return send('GET', '/api/v1/products');
        case 1:
          return send('GET', '/api/v1/auth/me', token);
        case 2:
          return send('POST', '/api/v1/notifications/read', token, {});
        case 3:
          return send('GET', '/api/v1/feed', token);
        default:
          return send('GET', '/api/v1/cart', token);
      }
    };

    /** Which gateway served each request (the last one nginx tried), once every id is in the access log. */
    async function servedBy(outcomes: Outcome[]): Promise<Map<string, string[]>> {
      // A failure nginx answered itself (502) carries no gateway's request id.
      const answered = outcomes.filter((outcome) => !failed(outcome));
      // nginx writes a line as it finishes a request, which can be just after the client has the answer.
      return eventually(2_000, async () => {
        const byId = await nginx!.upstreamsById();
        const absent = answered.filter((outcome) => !byId.has(outcome.id));
        assert.equal(absent.length, 0, `${absent.length} requests not in nginx's access log`);
        return byId;
      });
    }

    const gatewayAddresses = () => target().platform.gatewayUrls.map((url) => new URL(url).host);
    const countOn = (byId: Map<string, string[]>, outcomes: Outcome[], address: string) =>
      outcomes.filter((outcome) => !failed(outcome) && byId.get(outcome.id)?.at(-1) === address).length;

    before(async () => {
      const { platform, dir, port } = target();
      const ports = platform.gatewayUrls.map((url) => Number(new URL(url).port));
      nginx = await startLoopbackNginx({ binary: nginxBinary!, dir, port, gatewayPorts: [ports[0]!, ports[1]!] });
    });

    after(async () => {
      await nginx?.stop();
    });

    it("spreads a client's requests over both gateways", async (t) => {
      const token = await register('spread');
      const outcomes: Outcome[] = [];
      // A few at a time, public and signed-in, the platform's readiness among them.
      for (let n = 0; n < 200; n += 4) {
        outcomes.push(...(await Promise.all([0, 1, 2, 3].map((k) => (k === 3 && n % 20 === 0 ? send('GET', '/health/ready') : traffic(token, n + k))))));
      }
      const refused = outcomes.filter((outcome) => outcome.status === null || outcome.status >= 300);
      assert.deepEqual(refused, [], 'every request answered 2xx');
      const byId = await servedBy(outcomes);
      const [first, second] = gatewayAddresses().map((address) => countOn(byId, outcomes, address));
      t.diagnostic(`${outcomes.length} requests, ${first} on gateway 1, ${second} on gateway 2`);
      assert.equal(first! + second!, outcomes.length);
      // Round robin: each gateway serves about half; a quarter each leaves room for timing.
      assert.ok(first! >= outcomes.length / 4 && second! >= outcomes.length / 4, `${first} and ${second} is not a spread`);
    });

    it('loses no more requests than were in flight when a gateway is killed', async (t) => {
      const token = await register('failover');
      const gateway = target().platform.processes['gateway']!;
      const outcomes: Outcome[] = [];
      let running = true;
      let inFlight = 0;
      let n = 0;
      const clients = Array.from({ length: 40 }, async () => {
        while (running) {
          inFlight += 1;
          const outcome = await traffic(token, n++);
          inFlight -= 1;
          outcomes.push(outcome);
        }
      });

      let inFlightAtKill = 0;
      let killedAt = 0;
      let diedAt = 0;
      try {
        await sleep(1_000);
        const dead = new Promise<number>((resolve) => gateway.process!.once('exit', () => resolve(Date.now())));
        inFlightAtKill = inFlight;
        killedAt = Date.now();
        gateway.kill('SIGKILL');
        diedAt = await dead;
        await sleep(3_000);
      } finally {
        // Whatever happened, the clients stop before after() takes nginx away from under them.
        running = false;
        await Promise.all(clients);
      }

      const failures = outcomes.filter(failed);
      const byId = await servedBy(outcomes);
      const [first, second] = gatewayAddresses().map((address) => countOn(byId, outcomes, address));
      const retried = outcomes.filter((outcome) => !failed(outcome) && (byId.get(outcome.id)?.length ?? 0) > 1).length;
      const beforeKill = outcomes.filter((outcome) => outcome.startedAt < killedAt).length;
      const offsets = failures.map((outcome) => outcome.startedAt - killedAt);
      t.diagnostic(
        `${outcomes.length} requests (${beforeKill} before the kill), ${first} on gateway 1, ${second} on gateway 2, ${retried} retried by nginx, ` +
          `${failures.length} failed (${failures.filter((outcome) => outcome.method === 'POST').length} POST` +
          `${failures.length > 0 ? `, started ${Math.min(...offsets)} to ${Math.max(...offsets)} ms from the signal` : ''}), ` +
          `${inFlightAtKill} in flight at the kill, gateway 1 gone ${diedAt - killedAt} ms after the signal`,
      );
      assert.ok(failures.length <= inFlightAtKill, `${failures.length} failed, more than the ${inFlightAtKill} in flight at the kill`);
      // proxy_next_upstream: a read the dead gateway had taken is tried again on the other one.
      assert.deepEqual(failures.filter((outcome) => outcome.method === 'GET'), [], 'GETs failed although nginx retries them');
      // Once the process is gone nothing may fail: nginx sends everything to the other gateway.
      const lateFailures = failures.filter((outcome) => outcome.startedAt > diedAt);
      assert.deepEqual(lateFailures, [], 'requests started after gateway 1 was gone failed');
      const afterwards = outcomes.filter((outcome) => outcome.startedAt > diedAt);
      assert.ok(countOn(byId, afterwards, gatewayAddresses()[1]!) > 100, 'the other gateway kept serving');
      // The supervisor brings the killed gateway back.
      await target().platform.waitReady();
    });
  });
}
