/**
 * A server span per HTTP request, continuing the caller's `traceparent`. The span is made active
 * around Node's request event, and the request and response streams are bound to it, so that
 * everything Fastify runs for the request (hooks, body parsing, the handler, the database calls
 * and events it makes) happens inside it. Fastify names the route only once it matched, so the
 * span is renamed `METHOD /route` when the response is sent.
 */
import http from 'node:http';
import { SpanKind, SpanStatusCode, context, trace, type Span, type Tracer } from '@opentelemetry/api';
import { ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_RESPONSE_STATUS_CODE, ATTR_HTTP_ROUTE, ATTR_URL_PATH } from '@opentelemetry/semantic-conventions';
import type { FastifyServerOptions } from 'fastify';
import { continuedContext } from './propagation.ts';

type RequestListener = (request: http.IncomingMessage, response: http.ServerResponse) => void;

const serverSpans = new WeakMap<http.IncomingMessage, Span>();

/**
 * A Fastify `serverFactory` that traces. It sets the same server timeouts Fastify sets on the
 * server it makes itself, which it leaves to the factory otherwise.
 */
export function tracedServerFactory(tracer: Tracer) {
  return (handler: RequestListener, options: FastifyServerOptions): http.Server => {
    const server = http.createServer((request, response) => {
      const parent = continuedContext(request.headers);
      const method = request.method ?? 'GET';
      const span = tracer.startSpan(
        method,
        { kind: SpanKind.SERVER, attributes: { [ATTR_HTTP_REQUEST_METHOD]: method, [ATTR_URL_PATH]: (request.url ?? '/').split('?')[0] } },
        parent,
      );
      serverSpans.set(request, span);
      response.once('close', () => {
        span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, response.statusCode);
        if (response.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
      });
      const active = trace.setSpan(parent, span);
      context.bind(active, request);
      context.bind(active, response);
      context.with(active, () => handler(request, response));
    });
    if (options.keepAliveTimeout !== undefined) server.keepAliveTimeout = options.keepAliveTimeout;
    if (options.requestTimeout !== undefined) server.requestTimeout = options.requestTimeout;
    if (options.connectionTimeout !== undefined) server.setTimeout(options.connectionTimeout);
    return server;
  };
}

/** Names the request's span after its route, once Fastify knows it. */
export function nameServerSpan(request: http.IncomingMessage, route: string | undefined): void {
  const span = serverSpans.get(request);
  if (!span) return;
  if (route) {
    span.setAttribute(ATTR_HTTP_ROUTE, route);
    span.updateName(`${request.method ?? 'GET'} ${route}`);
  }
}
