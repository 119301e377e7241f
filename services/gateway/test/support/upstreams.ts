/**
 * Small real services for the gateway to front, listening on 127.0.0.1:0: an echo service that
 * reports what reached it, and the knobs the tests need (readiness, an OpenAPI document, a JWKS,
 * slow answers, event streams, leaky headers).
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Received {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  bodyLength: number;
  body: string;
}

export interface EchoReply extends Received {
  service: string;
}

export interface FakeService {
  name: string;
  url: string;
  app: FastifyInstance;
  received: Received[];
  /** Requests whose headers arrived, whether or not their body completed. */
  started(): number;
  close(): Promise<void>;
}

export interface FakeServiceOptions {
  openapi?: Record<string, unknown>;
  jwks?: unknown;
  ready?: () => boolean;
  /** Extra routes, registered before the catch-all echo. */
  routes?: (app: FastifyInstance) => void;
}

export async function startService(name: string, options: FakeServiceOptions = {}): Promise<FakeService> {
  const app = Fastify({ bodyLimit: 64 * 1024 * 1024, forceCloseConnections: true });
  const received: Received[] = [];
  let started = 0;
  app.addHook('onRequest', async () => {
    started += 1;
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 64 * 1024 * 1024 }, (_request, body, done) => done(null, body));

  app.get('/health/ready', async (_request, reply) => {
    const ready = options.ready?.() ?? true;
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ok' : 'unavailable' });
  });
  if (options.openapi) {
    const document = options.openapi;
    app.get('/openapi.json', async () => document);
  }
  if (options.jwks) {
    const jwks = options.jwks;
    app.get('/.well-known/jwks.json', async () => jwks);
  }
  options.routes?.(app);

  app.all('/*', async (request: FastifyRequest, reply: FastifyReply) => {
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const entry: Received = {
      method: request.method,
      url: request.url,
      headers: { ...request.headers },
      bodyLength: body.length,
      body: body.length <= 4096 ? body.toString('utf8') : '',
    };
    received.push(entry);
    return reply.send({ service: name, ...entry } satisfies EchoReply);
  });

  await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    name,
    url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
    app,
    received,
    started: () => started,
    close: () => app.close(),
  };
}

/** A base URL where nothing listens: a port that was just free. */
export async function closedPortUrl(): Promise<string> {
  const app = Fastify();
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  await app.close();
  return `http://127.0.0.1:${port}`;
}

/** Routes that answer after `ms`, for timeouts. */
export const slowRoutes = (ms: number) => (app: FastifyInstance) => {
  app.get('/api/v1/auth/slow', async () => {
    await sleep(ms);
    return { late: true };
  });
};

/**
 * An event stream that sends `first`, then waits until the test calls `release()` before
 * sending `second` and ending: a client can only see `first` before the end if nothing buffers.
 */
export function eventStream() {
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let ended = false;
  const routes = (app: FastifyInstance) => {
    app.get('/api/v1/auth/events', (_request, reply) => {
      reply.hijack();
      reply.raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      reply.raw.write('event: greeting\ndata: first\n\n');
      void released.then(() => {
        reply.raw.write('data: second\n\n');
        reply.raw.end();
        ended = true;
      });
    });
  };
  return { routes, release, hasEnded: () => ended };
}
