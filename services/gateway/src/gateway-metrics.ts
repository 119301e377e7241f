/**
 * The gateway's own numbers, beside the kit's per-route RED histogram (where every proxied
 * request shares the route `/api/*`): requests and latency by service as the client saw them,
 * upstream latency to response headers, and what the edge refused.
 */
import { Counter, Histogram } from 'prom-client';
import type { Metrics } from '@agora/kit/http/metrics';

const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface GatewayMetrics {
  /** Edge latency of proxied requests, whole response, by target service. */
  proxied: Histogram<'service' | 'method' | 'status_code'>;
  /** Time from sending upstream to the upstream's response headers; `outcome` is the status or the failure. */
  upstream: Histogram<'service' | 'outcome'>;
  refused: Counter<'reason'>;
  rateLimitStoreErrors: Counter;
}

export function createGatewayMetrics(metrics: Metrics): GatewayMetrics {
  const registers = [metrics.registry];
  return {
    proxied: new Histogram({
      name: 'gateway_proxied_request_duration_seconds',
      help: 'Latency of proxied requests at the edge, by target service and status',
      labelNames: ['service', 'method', 'status_code'] as const,
      buckets: BUCKETS,
      registers,
    }),
    upstream: new Histogram({
      name: 'gateway_upstream_duration_seconds',
      help: 'Time until an upstream answered with headers (or failed), by service',
      labelNames: ['service', 'outcome'] as const,
      buckets: BUCKETS,
      registers,
    }),
    refused: new Counter({
      name: 'gateway_refused_requests_total',
      help: 'Requests the gateway answered itself without reaching a service, by reason',
      labelNames: ['reason'] as const,
      registers,
    }),
    rateLimitStoreErrors: new Counter({
      name: 'gateway_rate_limit_store_errors_total',
      help: 'Rate-limit checks skipped because the store failed (requests were served)',
      registers,
    }),
  };
}
