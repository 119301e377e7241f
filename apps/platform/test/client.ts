/**
 * A client of the platform as the end-to-end scenarios speak to it: plain fetch to the gateway,
 * problem+json checks, and waiting for reads that events make consistent.
 */
import assert from 'node:assert/strict';

export interface PlatformUnderTest {
  url: string;
  /** Where identity writes mail when no SMTP server is set. */
  mailboxDir: string;
  admin: { email: string; password: string };
}

export interface Reply {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

/** Every body the platform answered in this process, so a suite can scan them for leaks. */
export const seenBodies: string[] = [];

export async function call(base: string, method: string, route: string, options: { token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers['authorization'] = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  }
  const response = await fetch(`${base}${route}`, { method, headers, body });
  const text = await response.text();
  seenBodies.push(text);
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = text;
  }
  return { status: response.status, headers: response.headers, body: parsed, text };
}

export function assertProblem(reply: Reply, status: number, code?: string): void {
  assert.equal(reply.status, status, `expected ${status}, got ${reply.status}: ${reply.text}`);
  assert.match(reply.headers.get('content-type') ?? '', /application\/problem\+json/);
  assert.equal(reply.body.status, status);
  assert.equal(typeof reply.body.title, 'string');
  if (code) assert.equal(reply.body.code, code);
}

/** Retries `check` until it stops throwing or `ms` pass (API.md: event-fed reads catch up within 1 s). */
export async function eventually<T>(ms: number, check: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}
