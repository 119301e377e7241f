/**
 * One trace through the kit's real pieces: three services built with createServiceApp, each with
 * its own database and tracer, on one bus. An HTTP request to the first writes a row and an event
 * through the outbox; the second consumes it and emits a follow-up; the third consumes that. The
 * spans every service exports must form one trace, each hop the child of the one before, and the
 * services' log lines must carry its trace id. Run on PGlite + the in-process bus, and on
 * PostgreSQL + RabbitMQ when their URLs are set (there the context crosses a real broker).
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AddressInfo } from 'node:net';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { sql } from 'drizzle-orm';
import { createEvent, enqueue, followUp } from '../../src/bus/outbox.ts';
import type { EventBus, EventEnvelope } from '../../src/bus/types.ts';
import { systemClock } from '../../src/clock.ts';
import type { Database } from '../../src/db/database.ts';
import type { HttpApp } from '../../src/http/app.ts';
import { createLogger } from '../../src/logger.ts';
import { createServiceApp } from '../../src/service.ts';
import { createMemoryStores } from '../../src/store/memory-stores.ts';
import { createTracing, type Tracing } from '../../src/tracing/tracing.ts';
import { waitUntil } from '../bus/support.ts';

export interface TraceHarness {
  bus: EventBus;
  /** A database of the service's own. */
  openDatabase(service: string): Promise<Database>;
  dispose(): Promise<void>;
}

interface TracedService {
  name: string;
  app: HttpApp;
  database: Database;
  tracing: Tracing;
  exporter: InMemorySpanExporter;
  logLines: Array<Record<string, unknown>>;
}

const MIGRATIONS = path.join(import.meta.dirname, 'fixtures', 'migrations');

/** A destination that keeps a logger's lines as parsed objects. */
function capture(lines: Array<Record<string, unknown>>): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      callback();
    },
  });
}

export function describeTraceSuite(name: string, openHarness: () => Promise<TraceHarness>, options: { skip?: string | false } = {}): void {
  void describe(`one trace across HTTP and two event hops: ${name}`, { skip: options.skip }, () => {
    let harness: TraceHarness;
    const services: TracedService[] = [];
    const handled: EventEnvelope[] = [];
    let front: TracedService;
    let frontUrl: string;

    async function startService(service: string, build: (app: HttpApp, database: Database) => Promise<void> | void, handlers: Record<string, (event: EventEnvelope, tx: Parameters<typeof enqueue>[0]) => Promise<void>> = {}) {
      const exporter = new InMemorySpanExporter();
      const tracing = createTracing({ service, exporter, scheduledDelayMs: 50 });
      const logLines: Array<Record<string, unknown>> = [];
      const logger = createLogger(service, 'debug', capture(logLines));
      const database = await harness.openDatabase(service);
      const { app } = await createServiceApp(
        { config: {}, logger, database, bus: harness.bus, stores: createMemoryStores(), clock: systemClock, tracer: tracing.tracer },
        { service, migrationsDir: MIGRATIONS, consumers: Object.keys(handlers).length > 0 ? { handlers } : undefined },
      );
      await build(app, database);
      await app.listen({ port: 0, host: '127.0.0.1' });
      const entry = { name: service, app, database, tracing, exporter, logLines };
      services.push(entry);
      return entry;
    }

    before(async () => {
      harness = await openHarness();
      // The last hop first, so every queue exists before its first event is published.
      await startService('trace-c', () => undefined, {
        'thing.checked': async (event) => {
          handled.push(event);
        },
      });
      await startService('trace-b', () => undefined, {
        'thing.created': async (event, tx) => {
          await enqueue(tx, followUp(event, 'thing.checked', { id: (event.data as { id: string }).id }, 'trace-b'));
        },
      });
      front = await startService('trace-a', (app, database) => {
        app.post<{ Body: { id: string; name: string } }>('/things', async (request, reply) => {
          const { id, name } = request.body;
          await database.transaction(async (tx) => {
            await tx.execute(sql`insert into things (id, name) values (${id}, ${name})`);
            await enqueue(tx, createEvent('thing.created', { id }, { producer: 'trace-a', correlationId: request.correlationId }));
          });
          request.log.info({ id }, 'thing created');
          return reply.status(201).send({ id });
        });
      });
      frontUrl = `http://127.0.0.1:${(front.app.server.address() as AddressInfo).port}`;
    });

    after(async () => {
      for (const service of services.reverse()) {
        await service.app.close();
        await service.tracing.shutdown();
        await service.database.close();
      }
      await harness?.dispose();
    });

    const spansOf = (trace: string): Array<ReadableSpan & { service: string }> =>
      services.flatMap((service) =>
        service.exporter
          .getFinishedSpans()
          .filter((span) => span.spanContext().traceId === trace)
          .map((span) => Object.assign(span, { service: String(span.resource.attributes[ATTR_SERVICE_NAME]) })),
      );

    async function createThing(headers: Record<string, string> = {}): Promise<string> {
      const id = crypto.randomUUID();
      const response = await fetch(`${frontUrl}/things`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ id, name: 'a thing' }),
      });
      assert.equal(response.status, 201);
      await waitUntil(() => handled.some((event) => (event.data as { id: string }).id === id), 'the last hop to handle the event', 10_000);
      return id;
    }

    it('follows a request through the outbox, the broker and two consumers as one trace', async () => {
      await createThing();
      // The front's server span is the root of the request's trace.
      await Promise.all(services.map((service) => service.tracing.flush()));
      const root = front.exporter.getFinishedSpans().find((span) => span.kind === SpanKind.SERVER && span.name === 'POST /things');
      assert.ok(root, 'the front exported a server span named after its route');
      assert.equal(root.parentSpanContext, undefined, 'a request without traceparent starts a trace');
      const traceId = root.spanContext().traceId;

      // Each hop ends only after its consumer committed, so all are exported once the last handled.
      await waitUntil(async () => {
        await Promise.all(services.map((service) => service.tracing.flush()));
        return spansOf(traceId).length >= 5;
      }, 'five spans in the trace', 10_000);
      const spans = spansOf(traceId);
      const find = (service: string, spanName: string, kind: SpanKind) => {
        const found = spans.filter((span) => span.service === service && span.name === spanName && span.kind === kind);
        assert.equal(found.length, 1, `one ${spanName} span by ${service}; the trace has ${spans.map((span) => `${span.service}:${span.name}`).join(', ')}`);
        return found[0]!;
      };
      const sendCreated = find('trace-a', 'send thing.created', SpanKind.PRODUCER);
      const processCreated = find('trace-b', 'process thing.created', SpanKind.CONSUMER);
      const sendChecked = find('trace-b', 'send thing.checked', SpanKind.PRODUCER);
      const processChecked = find('trace-c', 'process thing.checked', SpanKind.CONSUMER);
      const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
      assert.equal(parentOf(sendCreated), root.spanContext().spanId, 'the outbox row carried the request’s context');
      assert.equal(parentOf(processCreated), sendCreated.spanContext().spanId, 'the message carried the send span’s context');
      assert.equal(parentOf(sendChecked), processCreated.spanContext().spanId, 'what a consumer emits continues its span');
      assert.equal(parentOf(processChecked), sendChecked.spanContext().spanId);
      assert.equal(root.attributes['http.route'], '/things');
      assert.equal(root.attributes['http.response.status_code'], 201);
      assert.equal(processCreated.attributes['messaging.consumer.group.name'], 'trace-b');
      assert.equal(processChecked.attributes['messaging.destination.name'], 'thing.checked');
      // Nothing ends before what it caused began: the hops are in time order.
      const start = (span: ReadableSpan) => span.startTime[0] * 1e9 + span.startTime[1];
      assert.ok(start(processCreated) >= start(sendCreated) && start(processChecked) >= start(sendChecked));

      // The log lines written inside the trace carry its ids.
      const created = front.logLines.find((line) => line['msg'] === 'thing created');
      assert.equal(created?.['traceId'], traceId);
      assert.equal(created?.['spanId'], root.spanContext().spanId);
      const processedByC = services.find((service) => service.name === 'trace-c')!.logLines.find((line) => line['msg'] === 'event processed' && line['type'] === 'thing.checked');
      assert.equal(processedByC?.['traceId'], traceId);
      assert.equal(processedByC?.['spanId'], processChecked.spanContext().spanId);
    });

    it('continues the trace a caller began with traceparent', async () => {
      const callerTrace = '4bf92f3577b34da6a3ce929d0e0e4736';
      const callerSpan = '00f067aa0ba902b7';
      await createThing({ traceparent: `00-${callerTrace}-${callerSpan}-01` });
      await waitUntil(async () => {
        await Promise.all(services.map((service) => service.tracing.flush()));
        return spansOf(callerTrace).length >= 5;
      }, 'the caller’s trace to reach the last hop', 10_000);
      const server = spansOf(callerTrace).find((span) => span.kind === SpanKind.SERVER);
      assert.equal(server?.parentSpanContext?.spanId, callerSpan);
    });
  });
}
