/**
 * Spans of an event's journey, named as OpenTelemetry's messaging conventions name them:
 *
 * - `send <type>` (producer), from the moment the event was written to the outbox until the
 *   broker confirmed it, so the time an event waited for the relay is visible in the trace. Its
 *   parent is the request or event that caused it, whose context the outbox row keeps in its
 *   headers; the message goes out carrying the send span's own context.
 * - `process <type>` (consumer), around one consumer's handling of a delivery, made the active
 *   span while the handler runs so that what it emits continues the trace.
 */
import { SpanKind, SpanStatusCode, context, trace, type Span, type Tracer } from '@opentelemetry/api';
import type { EventEnvelope, MessageHeaders } from '../bus/types.ts';
import { continuedContext, traceContextHeaders } from './propagation.ts';

/** Messaging attributes are still incubating in the conventions package, so they are named here. */
const MESSAGING_SYSTEM = 'messaging.system';
const MESSAGING_OPERATION_TYPE = 'messaging.operation.type';
const MESSAGING_DESTINATION = 'messaging.destination.name';
const MESSAGING_MESSAGE_ID = 'messaging.message.id';
const MESSAGING_CONSUMER_GROUP = 'messaging.consumer.group.name';
const CONVERSATION_ID = 'messaging.message.conversation_id';

export interface SendSpan {
  /** The headers to publish with: the row's own, with the send span as the trace context. */
  headers: MessageHeaders;
  end(error?: unknown): void;
}

/** Starts the span of an outbox row's publication; `system` names the bus. */
export function startSendSpan(tracer: Tracer, row: { envelope: EventEnvelope; headers: MessageHeaders }, system: string): SendSpan {
  const parent = continuedContext(row.headers);
  const span = tracer.startSpan(
    `send ${row.envelope.type}`,
    {
      kind: SpanKind.PRODUCER,
      // When the producer wrote it, by the producer's clock (the relay may run elsewhere).
      startTime: new Date(row.envelope.occurredAt),
      attributes: {
        [MESSAGING_SYSTEM]: system,
        [MESSAGING_OPERATION_TYPE]: 'send',
        [MESSAGING_DESTINATION]: row.envelope.type,
        [MESSAGING_MESSAGE_ID]: row.envelope.id,
        [CONVERSATION_ID]: row.envelope.correlationId,
      },
    },
    parent,
  );
  return {
    headers: { ...row.headers, ...traceContextHeaders(trace.setSpan(parent, span)) },
    end(error) {
      if (error !== undefined) failed(span, error);
      span.end();
    },
  };
}

export interface ProcessSpanInput {
  consumer: string;
  system: string;
  envelope: EventEnvelope;
  headers: MessageHeaders;
  attempt: number;
}

/** Runs `handle` as the active `process <type>` span, continuing the trace the message carries. */
export async function inProcessSpan<T>(tracer: Tracer, input: ProcessSpanInput, handle: (span: Span) => Promise<T>): Promise<T> {
  const parent = continuedContext(input.headers);
  const span = tracer.startSpan(
    `process ${input.envelope.type}`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        [MESSAGING_SYSTEM]: input.system,
        [MESSAGING_OPERATION_TYPE]: 'process',
        [MESSAGING_DESTINATION]: input.envelope.type,
        [MESSAGING_MESSAGE_ID]: input.envelope.id,
        [MESSAGING_CONSUMER_GROUP]: input.consumer,
        [CONVERSATION_ID]: input.envelope.correlationId,
        'messaging.delivery.attempt': input.attempt,
      },
    },
    parent,
  );
  try {
    return await context.with(trace.setSpan(parent, span), () => handle(span));
  } catch (error) {
    failed(span, error);
    throw error;
  } finally {
    span.end();
  }
}

function failed(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
}
