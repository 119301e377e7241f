/**
 * Prometheus metrics, one registry per service so that the embedded platform (many services
 * in one process) still exposes each service's own numbers.
 */
import { Registry, Histogram, Gauge, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  readonly registry: Registry;
  readonly httpDuration: Histogram<'method' | 'route' | 'status_code'>;
  /** A gauge read when scraped, for numbers that live elsewhere (outbox backlog, DLQ depth). */
  gauge(name: string, help: string, read: () => Promise<number> | number): void;
}

export function createMetrics(service: string, options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  const httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by route and status',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  return {
    registry,
    httpDuration,
    gauge(name, help, read) {
      new Gauge({
        name,
        help,
        registers: [registry],
        async collect() {
          try {
            this.set(await read());
          } catch {
            // An unreachable backend leaves the gauge unset rather than failing the scrape.
          }
        },
      });
    },
  };
}
