/**
 * A real nginx in front of the gateways, for tests: deploy/nginx/nginx.loopback.conf with its
 * ports and writable paths moved into a scratch directory, run in the foreground as a child of
 * the test so the test owns it and stops it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const deployNginx = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../deploy/nginx');

/** nginx on PATH, else Debian's /usr/sbin/nginx (not on a non-root user's PATH). */
export function findNginx(): string | null {
  const onPath = (process.env['PATH'] ?? '').split(path.delimiter).filter((dir) => dir !== '').map((dir) => path.join(dir, 'nginx'));
  for (const candidate of [...onPath, '/usr/sbin/nginx']) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not this one.
    }
  }
  return null;
}

export interface LoopbackNginx {
  url: string;
  /** Per request id (the gateway echoes the client's X-Request-Id, nginx logs it): the gateways tried, in order. */
  upstreamsById(): Promise<Map<string, string[]>>;
  stop(): Promise<void>;
}

/** Replaces every `from`, failing loudly if the loopback config no longer has it. */
function rewrite(config: string, from: string, to: string): string {
  if (!config.includes(from)) throw new Error(`nginx.loopback.conf no longer contains ${JSON.stringify(from)}`);
  return config.replaceAll(from, to);
}

export async function startLoopbackNginx(options: { binary: string; dir: string; port: number; gatewayPorts: [number, number] }): Promise<LoopbackNginx> {
  const { dir, port, gatewayPorts } = options;
  let config = await readFile(path.join(deployNginx, 'nginx.loopback.conf'), 'utf8');
  // In the foreground, so the child is nginx's master and stopping it stops nginx.
  config = rewrite(config, 'daemon on;', 'daemon off;');
  config = rewrite(config, '/tmp/agora-nginx', path.join(dir, 'nginx'));
  config = rewrite(config, '127.0.0.1:18081', `127.0.0.1:${gatewayPorts[0]}`);
  config = rewrite(config, '127.0.0.1:18082', `127.0.0.1:${gatewayPorts[1]}`);
  config = rewrite(config, 'listen 127.0.0.1:18080;', `listen 127.0.0.1:${port};`);
  // The shared proxy settings themselves, not a copy.
  config = rewrite(config, 'include agora-proxy.conf;', `include ${path.join(deployNginx, 'agora-proxy.conf')};`);
  const configFile = path.join(dir, 'nginx.conf');
  await writeFile(configFile, config);
  // Started by root, nginx runs its workers as nobody, who must reach the temp directories in here.
  if (process.getuid?.() === 0) await chmod(dir, 0o755);

  const errorLog = path.join(dir, 'error.log');
  const child: ChildProcess = spawn(options.binary, ['-e', errorLog, '-c', configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    // SIGTERM is nginx's fast shutdown; SIGKILL only if it hangs.
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };

  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      const log = await readFile(errorLog, 'utf8').catch(() => '');
      throw new Error(`nginx exited (${child.exitCode ?? child.signalCode}): ${stderr}${log}`);
    }
    const answered = await fetch(`${url}/nginx-health`, { signal: AbortSignal.timeout(1_000) }).then((response) => response.ok, () => false);
    if (answered) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`nginx did not answer on ${url} within 10 s: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  return {
    url,
    async upstreamsById() {
      // The `agora` log format ends with `upstream=$upstream_addr status=... time=... rid=$sent_http_x_request_id`;
      // after a retry $upstream_addr lists every gateway tried, comma-separated.
      const log = await readFile(path.join(dir, 'nginx-access.log'), 'utf8');
      const byId = new Map<string, string[]>();
      for (const line of log.split('\n')) {
        const match = / upstream=(.*) status=.* time=.* rid=(\S+)$/.exec(line);
        if (match && match[2] !== '-') byId.set(match[2]!, match[1]!.split(', '));
      }
      return byId;
    },
    stop,
  };
}
