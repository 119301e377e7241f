/**
 * Bookkeeping headers the adapters put on messages (attempt count, dead-letter reason) and the
 * ones RabbitMQ adds when dead-lettering. They are transport state, so handlers and dead-letter
 * listings only ever see the application's own headers (traceparent and the like).
 */
import type { MessageHeaders } from './types.ts';

export const ATTEMPT_HEADER = 'x-agora-attempt';
export const DEATH_REASON_HEADER = 'x-agora-death-reason';
export const DEAD_AT_HEADER = 'x-agora-dead-at';

const TRANSPORT_PREFIXES = ['x-agora-', 'x-death', 'x-first-death-', 'x-last-death-'];

const isTransportHeader = (name: string): boolean => TRANSPORT_PREFIXES.some((prefix) => name.startsWith(prefix));

/** The application's headers from a raw AMQP header table, as strings. */
export function applicationHeaders(raw: Record<string, unknown> | undefined): MessageHeaders {
  const headers: MessageHeaders = {};
  for (const [name, value] of Object.entries(raw ?? {})) {
    if (isTransportHeader(name) || value === undefined || value === null) continue;
    headers[name] = headerText(value);
  }
  return headers;
}

/** An AMQP header value as text: strings as they are, Buffers decoded, tables and arrays as JSON. */
export function headerText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return value.toString();
  return JSON.stringify(value) ?? '';
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(errorMessage(error));
}
