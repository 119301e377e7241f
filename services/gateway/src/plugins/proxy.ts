/**
 * Forwarding to the services with @fastify/reply-from over one undici agent (a keep-alive pool
 * per upstream origin). Bodies and responses stream in both directions; upstream answers,
 * problem+json errors included, pass through unchanged apart from hop-by-hop headers and the
 * few headers the edge owns (request id, CORS, security headers).
 *
 * Timeouts: an upstream must start answering (status and headers) within UPSTREAM_TIMEOUT_MS,
 * else 504. After that a response body may pause at most as long between chunks, except a
 * `text/event-stream`, which is meant to stay open and quiet between events.
 */
import { Transform, type Readable } from 'node:stream';
import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import replyFrom from '@fastify/reply-from';
import { AppError, errors } from '@agora/kit/errors';
import type { Logger } from '@agora/kit/logger';
import { trace } from '@opentelemetry/api';
import { traceContextHeaders } from '@agora/kit/tracing/propagation';
import type { GatewayMetrics } from '../gateway-metrics.ts';
import { pathOf, type RouteTable } from '../routing/route-table.ts';

export interface UpstreamTarget {
  service: string;
  /** Base URL, no trailing slash. */
  base: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The service this request is forwarded to, once resolved. */
    upstreamTarget: UpstreamTarget | null;
  }
}

export async function registerUpstreamClient(app: FastifyInstance, options: { timeoutMs: number }): Promise<void> {
  app.decorateRequest('upstreamTarget', null);
  await app.register(replyFrom, {
    undici: {
      connections: 128,
      pipelining: 1,
      keepAliveTimeout: 4_000,
      connectTimeout: Math.min(options.timeoutMs, 5_000),
      headersTimeout: options.timeoutMs,
      // Bodies are watched per response below, so that event streams can stay open.
      bodyTimeout: 0,
    },
    disableCache: true,
    disableRequestLogging: true,
    destroyAgent: true,
  });
}

/** Hop-by-hop headers (RFC 9110 §7.6.1) and those undici refuses to send. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authorization', 'proxy-authenticate', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'expect']);

/** Request headers the gateway sets itself; whatever a client sent under these names is dropped. */
const EDGE_REQUEST_HEADERS = new Set(['forwarded', 'x-real-ip', 'x-request-id', 'x-correlation-id']);

/** Identity claims in headers are never believed; the gateway neither forwards nor sets any. */
const isIdentityHeader = (name: string): boolean => name.startsWith('x-user-') || name.startsWith('x-principal') || name.startsWith('x-forwarded-');

/** Response headers the edge owns: its request id, CORS, and what would reveal the stack. */
const isEdgeResponseHeader = (name: string): boolean =>
  name === 'x-request-id' || name === 'server' || name === 'x-powered-by' || name.startsWith('access-control-');

export function upstreamRequestHeaders(request: FastifyRequest, headers: IncomingHttpHeaders, forwardsBody: boolean): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (HOP_BY_HOP.has(name) || EDGE_REQUEST_HEADERS.has(name) || isIdentityHeader(name)) continue;
    out[name] = value;
  }
  if (!forwardsBody) delete out['content-length'];
  // One address: the client as the gateway resolved it (TRUST_PROXY decides whether hops in
  // front count), so a service trusting only the gateway never sees a client-made chain.
  out['x-forwarded-for'] = request.ip;
  out['x-forwarded-proto'] = request.protocol;
  if (request.host) out['x-forwarded-host'] = request.host;
  out['x-request-id'] = request.id;
  out['x-correlation-id'] = request.correlationId;
  // The gateway's own span becomes the service's parent (a client's traceparent is its parent).
  Object.assign(out, traceContextHeaders());
  return out;
}

export function clientResponseHeaders(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (HOP_BY_HOP.has(name) || isEdgeResponseHeader(name)) continue;
    out[name] = value;
  }
  return out;
}

const causeCode = (error: Error): string | undefined => {
  const cause = (error as { cause?: { code?: unknown } }).cause;
  return typeof cause?.code === 'string' ? cause.code : (error as { code?: string }).code;
};

/** What the client hears when the upstream could not be asked or did not answer in time. */
export function upstreamFailure(error: Error, service: string): AppError {
  const code = causeCode(error);
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'FST_REPLY_FROM_TIMEOUT' || code === 'FST_REPLY_FROM_GATEWAY_TIMEOUT') {
    return new AppError(504, 'GATEWAY.UPSTREAM_TIMEOUT', 'The service did not answer in time', { detail: service, cause: error });
  }
  // undici refusing the request as given: a header or body the gateway should have cleaned.
  if (code === 'UND_ERR_INVALID_ARG' || code === 'UND_ERR_NOT_SUPPORTED' || code === 'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH') {
    return errors.badRequest('GATEWAY.UNFORWARDABLE_REQUEST', 'The request cannot be forwarded as sent', { cause: error });
  }
  return errors.unavailable('GATEWAY.SERVICE_UNAVAILABLE', 'The service is unavailable', { detail: service, cause: error });
}

/**
 * Passes `body` on, failing it when it goes quiet for longer than `ms` between chunks. Wired by
 * hand rather than with stream.pipeline, whose per-call AbortController (and the DOMException it
 * builds on every finish) was the largest single cost per proxied request.
 */
function guardIdle(body: Readable, ms: number, onFailure: (error: Error) => void): Transform {
  const guard = new Transform({
    transform(chunk, _encoding, callback) {
      timer.refresh();
      callback(null, chunk);
    },
    flush(callback) {
      clearTimeout(timer);
      callback();
    },
    destroy(error, callback) {
      clearTimeout(timer);
      // The client went away or the body stalled: stop reading from the service too.
      if (!body.destroyed) body.destroy();
      callback(error);
    },
  });
  const timer = setTimeout(() => guard.destroy(new Error(`upstream body idle for ${ms} ms`)), ms);
  timer.unref();
  body.once('error', (error) => guard.destroy(error));
  guard.once('error', onFailure);
  body.pipe(guard);
  return guard;
}

export interface ForwarderOptions {
  timeoutMs: number;
  metrics: GatewayMetrics;
  logger: Logger;
  /** Event streams in flight, so a shutdown can end them (see graceful-close.ts). */
  eventStreams: Set<Readable>;
}

/** `path` has no query string: the client's query is passed on as sent, never decoded here. */
export type Forward = (request: FastifyRequest, reply: FastifyReply, target: UpstreamTarget, path: string) => FastifyReply;

export function createForwarder(options: ForwarderOptions): Forward {
  return (request, reply, target, path) => {
    request.upstreamTarget = target;
    // The route is `/api/*` for every service, so the trace says which one answered.
    trace.getActiveSpan()?.setAttribute('agora.upstream.service', target.service);
    const started = performance.now();
    const observe = (outcome: string) => options.metrics.upstream.observe({ service: target.service, outcome }, (performance.now() - started) / 1000);
    const buffered = Buffer.isBuffer(request.body) ? request.body : null;
    const forwardsBody = request.body !== undefined && request.body !== null;
    return reply.from(target.base + path, {
      // Retrying is the client's call: a POST may have had its effect before a failure.
      retryDelay: () => null,
      ...(buffered ? { body: buffered, contentType: request.headers['content-type'] ?? 'application/octet-stream' } : {}),
      rewriteRequestHeaders: (_request, headers) => upstreamRequestHeaders(request, headers, forwardsBody),
      rewriteHeaders: (headers) => clientResponseHeaders(headers),
      onResponse: (_request, upstreamReply, res) => {
        observe(String(res.statusCode));
        const body = res.stream as unknown as Readable;
        // Typed as a ServerResponse, it is undici's response: status, headers and body stream.
        const type = (res as unknown as { headers: IncomingHttpHeaders }).headers['content-type'];
        if (typeof type === 'string' && type.toLowerCase().startsWith('text/event-stream')) {
          // Tell any buffering proxy in front to pass events on as they come.
          void upstreamReply.header('x-accel-buffering', 'no');
          if (!upstreamReply.hasHeader('cache-control')) void upstreamReply.header('cache-control', 'no-cache');
          options.eventStreams.add(body);
          body.once('close', () => options.eventStreams.delete(body));
          void upstreamReply.send(body);
          return;
        }
        const guarded = guardIdle(body, options.timeoutMs, (error) => {
          request.log.warn({ err: error, service: target.service }, 'upstream response body failed');
        });
        void upstreamReply.send(guarded);
      },
      onError: (upstreamReply, { error }) => {
        const failure = upstreamFailure(error, target.service);
        observe(failure.status === 504 ? 'timeout' : 'error');
        options.metrics.refused.inc({ reason: failure.status === 504 ? 'upstream_timeout' : 'upstream_unavailable' });
        void upstreamReply.send(failure);
      },
    });
  };
}

/** Path checks, so that what the gateway routes is exactly what the service will see. */
function assertForwardablePath(path: string): void {
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    throw errors.badRequest('GATEWAY.INVALID_PATH', 'The path is not valid percent-encoding');
  }
  const segments = decoded.split(/[/\\]/);
  if (segments.some((segment) => segment === '.' || segment === '..')) {
    throw errors.badRequest('GATEWAY.INVALID_PATH', 'The path must not contain dot segments');
  }
}

/** onRequest hook: picks the service for /api/* or answers 400, 404 or 503 itself. */
export function createRouteResolver(table: RouteTable, upstreams: Record<string, string>, metrics: GatewayMetrics) {
  return async function resolveRoute(request: FastifyRequest): Promise<void> {
    const path = pathOf(request.url);
    assertForwardablePath(path);
    const route = table.match(path);
    if (!route) {
      throw errors.notFound('HTTP.NOT_FOUND', 'No such route', { detail: `${request.method} ${path}` });
    }
    const base = route.service.built ? upstreams[route.service.name] : undefined;
    if (!base) {
      metrics.refused.inc({ reason: 'service_not_available' });
      throw errors.unavailable('GATEWAY.SERVICE_UNAVAILABLE', 'The service is unavailable', {
        detail: `${route.service.name} is not running behind this gateway`,
      });
    }
    request.upstreamTarget = { service: route.service.name, base };
  };
}

/** Counts proxied requests by service as the client saw them (status, whole duration). */
export function observeProxied(app: FastifyInstance, metrics: GatewayMetrics): void {
  app.addHook('onResponse', async (request, reply) => {
    const target = request.upstreamTarget;
    if (!target) return;
    metrics.proxied.observe({ service: target.service, method: request.method, status_code: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });
}
