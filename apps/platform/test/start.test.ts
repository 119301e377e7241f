/**
 * `npm start`'s entry as a user runs it: a child process on a fresh data directory that says
 * where it is, answers /health/ready through the gateway, and stops cleanly on Ctrl-C.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const entry = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src/embedded.ts');

describe('npm start', () => {
  it('starts the embedded platform on a fresh data directory, reports its address and stops on SIGINT', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'agora-start-'));
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', AGORA_DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
    delete env['DATABASE_URL'];
    delete env['AMQP_URL'];
    delete env['REDIS_URL'];
    const child = spawn(process.execPath, [entry], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      let output = '';
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no address announced:\n${output}`)), 60_000);
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          const match = /Agora is up on (http:\/\/\S+)/.exec(output);
          if (match) {
            clearTimeout(timer);
            resolve(match[1]!);
          }
        });
        child.once('exit', (code) => reject(new Error(`exited with ${code} before announcing:\n${output}`)));
      });
      assert.match(output, /\/docs/);
      const ready = await fetch(`${url}/health/ready`);
      assert.equal(ready.status, 200);
      const body = (await ready.json()) as { checks: Record<string, string> };
      assert.equal(body.checks['identity'], 'ok');
      child.kill('SIGINT');
      assert.equal(await exited, 0);
    } finally {
      child.kill('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
