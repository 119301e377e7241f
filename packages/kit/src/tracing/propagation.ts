/**
 * The W3C trace context of the active span as headers (`traceparent`, `tracestate`), for a call
 * to another service or an event written to the outbox. Empty while tracing is off, so callers
 * add it unconditionally.
 */
import { ROOT_CONTEXT, context, propagation, type Context } from '@opentelemetry/api';

export function traceContextHeaders(from: Context = context.active()): Record<string, string> {
  const headers: Record<string, string> = {};
  propagation.inject(from, headers);
  return headers;
}

/** The context a caller's headers continue (the root one when they carry none). */
export function continuedContext(headers: Record<string, string | string[] | undefined>): Context {
  return propagation.extract(ROOT_CONTEXT, headers);
}
