import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { services } from '@agora/contracts/services';
import { startService, type FakeService } from './support/upstreams.ts';

const entry = fileURLToPath(new URL('../src/server.ts', import.meta.url));

/** The environment without the distributed URLs: this test is about the process, not the adapters. */
function baseEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  delete env['AMQP_URL'];
  delete env['REDIS_URL'];
  delete env['DATABASE_URL'];
  return env;
}

function startServer(env: NodeJS.ProcessEnv): { child: ChildProcess; url: Promise<string>; output: () => string } {
  const child = spawn(process.execPath, [entry], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}) before listening:\n${output}`)));
  });
  return { child, url, output: () => output };
}

describe('server.ts', () => {
  let identity: FakeService;

  before(async () => {
    identity = await startService('identity', {
      routes: (app) => {
        app.get('/api/v1/auth/slow', async () => {
          await sleep(500);
          return { finished: true };
        });
      },
    });
  });

  // The gateway is ready only when every built service is: give each of the others a stand-in.
  let others: FakeService[] = [];
  before(async () => {
    others = await Promise.all(services.filter((service) => service.built && service.name !== 'identity').map((service) => startService(service.name)));
  });
  const otherUrls = () => Object.fromEntries(others.map((service) => [`${service.name.toUpperCase()}_URL`, service.url]));

  after(async () => {
    await identity.close();
    await Promise.all(others.map((service) => service.close()));
  });

  it('serves on its own, then finishes in-flight requests and exits 0 on SIGTERM', async () => {
    const server = startServer(baseEnv({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', IDENTITY_URL: identity.url, ...otherUrls() }));
    try {
      const url = await server.url;
      assert.equal((await fetch(`${url}/health/live`)).status, 200);
      assert.equal((await fetch(`${url}/health/ready`)).status, 200);
      const inFlight = fetch(`${url}/api/v1/auth/slow`);
      await sleep(150);
      const exited = once(server.child, 'exit');
      server.child.kill('SIGTERM');
      const response = await inFlight;
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), { finished: true });
      const [code] = (await exited) as [number | null];
      assert.equal(code, 0, server.output());
    } finally {
      if (server.child.exitCode === null) server.child.kill('SIGKILL');
    }
  });

  it('refuses to start with a bad configuration, naming every bad key', async () => {
    const child = spawn(process.execPath, [entry], {
      env: baseEnv({ PORT: '0', RATE_LIMIT_PER_MINUTE: 'lots', IDENTITY_URL: 'ftp://identity' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 1);
    assert.match(stderr, /RATE_LIMIT_PER_MINUTE/);
    assert.match(stderr, /IDENTITY_URL/);
  });
});
