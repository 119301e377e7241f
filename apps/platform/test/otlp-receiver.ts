/**
 * A local OTLP/HTTP trace receiver for the end-to-end tests: what a collector (Jaeger, the
 * OpenTelemetry Collector) is to the platform in production. It takes `POST /v1/traces` in OTLP's
 * JSON encoding, which the services' exporter sends, and keeps the spans of the traces a test
 * watches; of the others it only counts the spans.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  name: string;
  kind: 'internal' | 'server' | 'client' | 'producer' | 'consumer';
  /** The resource's `service.name`: which service exported it. */
  service: string;
  attributes: Record<string, string | number | boolean>;
}

export interface OtlpReceiver {
  /** What to set OTEL_EXPORTER_OTLP_ENDPOINT to. */
  endpoint: string;
  watch(traceId: string): void;
  spansOf(traceId: string): ReceivedSpan[];
  /** Spans received in all, watched or not. */
  received(): number;
  close(): Promise<void>;
}

/** OTLP's AnyValue, as far as span attributes use it. */
interface AnyValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
}
interface KeyValue {
  key: string;
  value: AnyValue;
}
interface ExportRequest {
  resourceSpans?: Array<{
    resource?: { attributes?: KeyValue[] };
    scopeSpans?: Array<{ spans?: Array<{ traceId: string; spanId: string; parentSpanId?: string; name: string; kind?: number; attributes?: KeyValue[] }> }>;
  }>;
}

const KINDS: ReceivedSpan['kind'][] = ['internal', 'internal', 'server', 'client', 'producer', 'consumer'];

const valueOf = (value: AnyValue): string | number | boolean =>
  value.stringValue ?? (value.intValue !== undefined ? Number(value.intValue) : undefined) ?? value.doubleValue ?? value.boolValue ?? '';

const attributesOf = (list: KeyValue[] = []): ReceivedSpan['attributes'] => Object.fromEntries(list.map(({ key, value }) => [key, valueOf(value)]));

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const watched = new Map<string, ReceivedSpan[]>();
  let received = 0;

  const server: Server = createServer((request, response) => {
    if (request.method !== 'POST' || request.url !== '/v1/traces') {
      response.writeHead(404).end();
      return;
    }
    if (!String(request.headers['content-type']).startsWith('application/json')) {
      // Only the JSON encoding is understood here; a protobuf exporter would be a test setup error.
      response.writeHead(415).end();
      return;
    }
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      let body: ExportRequest;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ExportRequest;
      } catch {
        response.writeHead(400).end();
        return;
      }
      for (const { resource, scopeSpans = [] } of body.resourceSpans ?? []) {
        const service = String(attributesOf(resource?.attributes)['service.name'] ?? '');
        for (const { spans = [] } of scopeSpans) {
          for (const span of spans) {
            received += 1;
            const list = watched.get(span.traceId);
            if (!list) continue;
            list.push({
              traceId: span.traceId,
              spanId: span.spanId,
              parentSpanId: span.parentSpanId || undefined,
              name: span.name,
              kind: KINDS[span.kind ?? 0] ?? 'internal',
              service,
              attributes: attributesOf(span.attributes),
            });
          }
        }
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    watch: (traceId) => void watched.set(traceId, watched.get(traceId) ?? []),
    spansOf: (traceId) => [...(watched.get(traceId) ?? [])],
    received: () => received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
