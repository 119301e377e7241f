/**
 * Runs every service as its own process on PostgreSQL, RabbitMQ and Redis, the gateway in
 * front, and restarts a process that dies (as an orchestrator would). Used by
 * `npm run start:distributed` and by the tests that run the platform as separate processes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { services, GATEWAY_PORT } from '@agora/contracts/services';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const REQUIRED = ['DATABASE_URL', 'AMQP_URL', 'REDIS_URL'] as const;
/** The first gateway and one per port from +13 to +19: after the last service's (+12), before the next block of 20. */
const MAX_GATEWAYS = 8;

export interface DistributedPlatformOptions {
  env?: Record<string, string | undefined>;
  /** The gateway's port; each service gets `portBase + its offset` (default: the ports in contracts). */
  port?: number;
  portBase?: number;
  /** Where children's output goes; default inherits this process's stdout/stderr. */
  output?: 'inherit' | 'ignore';
  readyTimeoutMs?: number;
  /**
   * How many gateway processes, as behind a load balancer (default 1). The first is
   * `processes.gateway` on the gateway port; gateway-2, gateway-3… listen on that port + 19,
   * + 18…, above the services' ports, so a block of 20 ports from `portBase` holds them all.
   */
  gateways?: number;
}

export interface ManagedProcess {
  name: string;
  url: string;
  readonly process: ChildProcess | null;
  /** Sends a signal to the current process; the supervisor starts a new one if it dies. */
  kill(signal?: NodeJS.Signals): void;
}

export interface DistributedPlatform {
  url: string;
  /** Every gateway's URL, `url` first. */
  gatewayUrls: string[];
  processes: Record<string, ManagedProcess>;
  waitReady(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

async function isReady(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(2_000) });
    return response.ok;
  } catch {
    return false;
  }
}

async function waitUntilReady(urls: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const url of urls) {
    while (!(await isReady(url))) {
      if (Date.now() > deadline) throw new Error(`${url} did not become ready within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

export function missingSettings(env: Record<string, string | undefined>): string[] {
  return REQUIRED.filter((key) => !env[key]);
}

export async function startDistributedPlatform(options: DistributedPlatformOptions = {}): Promise<DistributedPlatform> {
  const env = { ...(options.env ?? process.env) };
  const missing = missingSettings(env);
  if (missing.length > 0) throw new Error(`the distributed platform needs ${missing.join(', ')}`);
  const portOf = (port: number) => (options.portBase === undefined ? port : options.portBase + (port - GATEWAY_PORT));
  const gatewayPort = options.port ?? (options.portBase ?? Number(env['PORT'] ?? GATEWAY_PORT));
  const built = services.filter((service) => service.built);
  const gateways = options.gateways ?? 1;
  if (!Number.isInteger(gateways) || gateways < 1 || gateways > MAX_GATEWAYS) throw new Error(`gateways must be 1 to ${MAX_GATEWAYS}, not ${gateways}`);
  let stopping = false;

  const supervise = (name: string, entry: string, childEnv: Record<string, string | undefined>, url: string): ManagedProcess => {
    let current: ChildProcess | null = null;
    let restarts = 0;
    const start = () => {
      current = spawn(process.execPath, [entry], { cwd: root, env: childEnv, stdio: ['ignore', options.output ?? 'inherit', options.output ?? 'inherit'] });
      const startedAt = Date.now();
      current.once('exit', (code, signal) => {
        if (stopping) return;
        // Back off when a process keeps dying at start, so a bad config doesn't spin.
        restarts = Date.now() - startedAt > 10_000 ? 0 : restarts + 1;
        const delay = Math.min(200 * 2 ** restarts, 10_000);
        process.stderr.write(`${name} exited (${signal ?? code}); restarting in ${delay} ms\n`);
        setTimeout(() => {
          if (!stopping) start();
        }, delay).unref();
      });
    };
    start();
    return {
      name,
      url,
      get process() {
        return current;
      },
      kill(signal = 'SIGTERM') {
        current?.kill(signal);
      },
    };
  };

  const processes: Record<string, ManagedProcess> = {};
  const upstreamEnv: Record<string, string> = {};
  const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
  // Public links (media URLs, mail) point at the gateway unless the operator says otherwise.
  env['AGORA_PUBLIC_URL'] ??= `http://localhost:${gatewayPort}`;
  for (const service of built) upstreamEnv[`${service.name.toUpperCase()}_URL`] = `http://127.0.0.1:${portOf(service.port)}`;
  // Every service learns where every other listens (IDENTITY_URL, CART_URL…): the ports are fixed.
  for (const service of built) {
    const port = portOf(service.port);
    const url = `http://127.0.0.1:${port}`;
    processes[service.name] = supervise(
      service.name,
      path.join(root, 'services', service.name, 'src', 'server.ts'),
      { ...env, ...upstreamEnv, PORT: String(port), HOST: '127.0.0.1' },
      url,
    );
  }
  const gatewayNames: string[] = [];
  const gatewayUrls: string[] = [];
  for (let i = 0; i < gateways; i++) {
    const name = i === 0 ? 'gateway' : `gateway-${i + 1}`;
    const port = i === 0 ? gatewayPort : gatewayPort + 20 - i;
    const url = `http://127.0.0.1:${port}`;
    processes[name] = supervise(name, path.join(root, 'services', 'gateway', 'src', 'server.ts'), { ...env, ...upstreamEnv, PORT: String(port) }, url);
    gatewayNames.push(name);
    gatewayUrls.push(url);
  }

  const platform: DistributedPlatform = {
    url: gatewayUrl,
    gatewayUrls,
    processes,
    waitReady: (timeoutMs = options.readyTimeoutMs ?? 60_000) => waitUntilReady([...built.map((service) => processes[service.name]!.url), ...gatewayUrls], timeoutMs),
    async close() {
      stopping = true;
      // Gateways first so nothing new reaches the services, then the services.
      const order = [...gatewayNames, ...built.map((service) => service.name)];
      for (const name of order) {
        const child = processes[name]?.process;
        if (!child || child.exitCode !== null || child.signalCode !== null) continue;
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
  try {
    await platform.waitReady();
  } catch (error) {
    await platform.close();
    throw error;
  }
  return platform;
}
