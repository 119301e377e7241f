/**
 * OpenTelemetry tracing for one service: a tracer whose spans carry the service's name and go to
 * an exporter in batches. Off unless OTEL_EXPORTER_OTLP_ENDPOINT is set; then every request, every
 * outbox row on its way to the broker and every event handled is a span, and the W3C trace
 * context travels in HTTP headers and in message headers, so one trace follows a request through
 * every service and event it wakes (see docs/operations.md, "Traces").
 *
 * Each service gets a provider of its own rather than the global one, because the embedded
 * platform runs every service in one process and each must still be its own service in a trace.
 * What is process-wide is only how context travels: the async-local context manager and the W3C
 * propagator, installed once by the first service that traces.
 */
import { context, propagation, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler, TracerProvider, type SpanExporter } from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { CommonConfig } from '../config.ts';

export type { Tracer };

export interface Tracing {
  tracer: Tracer;
  /** Exports the spans still queued; tests call it before reading an exporter. */
  flush(): Promise<void>;
  /** Flushes, then stops the exporter: the last thing a service closes. */
  shutdown(): Promise<void>;
}

export interface TracingOptions {
  service: string;
  exporter: SpanExporter;
  /** Share of new traces recorded (0–1); a trace begun upstream keeps its caller's decision. */
  sampleRatio?: number;
  /** How long spans wait to be exported in a batch. */
  scheduledDelayMs?: number;
}

let traceContextInstalled = false;

/** Makes the active span follow async work and travel as `traceparent`; once per process. */
function installTraceContext(): void {
  if (traceContextInstalled) return;
  traceContextInstalled = true;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
}

export function createTracing(options: TracingOptions): Tracing {
  installTraceContext();
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.service }),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(options.sampleRatio ?? 1) }),
    spanProcessors: [new BatchSpanProcessor({ exporter: options.exporter, scheduledDelayMillis: options.scheduledDelayMs ?? 5_000 })],
  });
  return {
    tracer: provider.getTracer(`agora.${options.service}`),
    flush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}

/**
 * Tracing as the settings ask for it: OTLP over HTTP to OTEL_EXPORTER_OTLP_ENDPOINT (the
 * collector's base URL; `/v1/traces` is appended as the OTLP specification says), or none.
 */
export function tracingFromConfig(service: string, config: CommonConfig): Tracing | undefined {
  if (!config.OTEL_EXPORTER_OTLP_ENDPOINT) return undefined;
  const url = new URL('v1/traces', config.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/*$/, '/')).toString();
  return createTracing({
    service,
    exporter: new OTLPTraceExporter({ url }),
    sampleRatio: config.OTEL_TRACES_SAMPLER_ARG,
    scheduledDelayMs: config.OTEL_BSP_SCHEDULE_DELAY,
  });
}
