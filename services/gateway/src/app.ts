/**
 * The API gateway: the one door clients use. It routes /api/* to the service owning each prefix,
 * refuses bad or revoked tokens at the edge, rate-limits per client, bounds request bodies, sets
 * CORS and security headers, and publishes the platform's merged OpenAPI document. It owns no
 * data: its state is the revocation list and rate-limit counters in the shared stores.
 */
import type { Readable } from 'node:stream';
import type { JWTVerifyGetKey } from 'jose';
import { createHttpApp, type HttpApp } from '@agora/kit/http/app';
import { createAccessTokenVerifier, remoteKeys } from '@agora/kit/auth/access-token';
import { createRevocationList } from '@agora/kit/store/revocation';
import { errors } from '@agora/kit/errors';
import { systemClock, type Clock } from '@agora/kit/clock';
import type { Logger } from '@agora/kit/logger';
import type { Tracer } from '@agora/kit/tracing/tracing';
import type { EventBus, Subscription } from '@agora/kit/bus/types';
import type { Stores } from '@agora/kit/store/types';
import { services as allServices, type ServiceEntry } from '@agora/contracts/services';
import { trustProxySetting, type GatewayConfig } from './config.ts';
import { createRouteTable, pathOf } from './routing/route-table.ts';
import { createGatewayMetrics } from './gateway-metrics.ts';
import { readinessChecks } from './readiness.ts';
import { registerSecurityHeaders } from './plugins/security-headers.ts';
import { registerCors } from './plugins/cors.ts';
import { registerEdgeAuth } from './plugins/edge-auth.ts';
import { createRateLimiter } from './plugins/rate-limit.ts';
import { JSON_BODY_LIMIT, MAX_BODY_LIMIT, passBodiesThrough, refuseDeclaredOversize } from './plugins/body-limit.ts';
import { createForwarder, createRouteResolver, observeProxied, registerUpstreamClient, type UpstreamTarget } from './plugins/proxy.ts';
import { createMergedDocument, registerMergedOpenApi } from './plugins/openapi.ts';
import { registerGracefulClose } from './plugins/graceful-close.ts';
import { consumeSessionRevocations, GATEWAY_QUEUE } from './consumers/session-revoked.consumer.ts';

export interface GatewayDeps {
  config: GatewayConfig;
  logger: Logger;
  stores: Stores;
  bus: EventBus;
  clock?: Clock;
  /** Base URL of each service by name. A built service without one answers 503. */
  upstreams: Record<string, string>;
  /** The services and their prefixes; the contracts list unless a test brings its own. */
  services?: readonly ServiceEntry[];
  /** Set when traces are exported: a server span per request, continued by the services. */
  tracer?: Tracer | undefined;
}

const noKeys: JWTVerifyGetKey = async () => {
  throw new Error('identity is not behind this gateway');
};

export async function buildApp(deps: GatewayDeps): Promise<HttpApp> {
  const { config, logger, stores, bus } = deps;
  const clock = deps.clock ?? systemClock;
  const services = deps.services ?? allServices;
  const upstreams = Object.fromEntries(Object.entries(deps.upstreams).map(([name, url]) => [name, url.replace(/\/+$/, '')]));
  const table = createRouteTable(services);

  const app = await createHttpApp({
    service: 'gateway',
    logger,
    bodyLimit: JSON_BODY_LIMIT,
    trustProxy: trustProxySetting(config.TRUST_PROXY),
    readiness: readinessChecks({ services, upstreams, stores, bus }),
    openapi: { title: 'Agora API' },
    tracer: deps.tracer,
  });
  const metrics = createGatewayMetrics(app.metrics);
  app.metrics.gauge('dead_letters', "Messages parked in the gateway's dead-letter queue", () => bus.deadLetters.count(GATEWAY_QUEUE));

  registerSecurityHeaders(app);
  await registerCors(app, config.CORS_ORIGINS);
  await registerUpstreamClient(app, { timeoutMs: config.UPSTREAM_TIMEOUT_MS });
  observeProxied(app, metrics);
  const eventStreams = new Set<Readable>();
  registerGracefulClose(app, eventStreams);
  const forward = createForwarder({ timeoutMs: config.UPSTREAM_TIMEOUT_MS, metrics, logger, eventStreams });

  const identity = services.find((service) => service.name === 'identity');
  const identityTarget: UpstreamTarget | null =
    identity?.built && upstreams['identity'] ? { service: 'identity', base: upstreams['identity'] } : null;
  const revocations = createRevocationList(stores.kv);
  const verifier = createAccessTokenVerifier({
    keys: identityTarget ? remoteKeys(`${identityTarget.base}/.well-known/jwks.json`) : noKeys,
    revocations,
  });

  app.get('/.well-known/jwks.json', { schema: { hide: true } }, async (request, reply) => {
    if (!identityTarget) throw errors.unavailable('GATEWAY.SERVICE_UNAVAILABLE', 'The service is unavailable', { detail: 'identity' });
    return forward(request, reply, identityTarget, '/.well-known/jwks.json');
  });

  await app.register(async (api) => {
    passBodiesThrough(api);
    const { identifyCaller, refuseBadToken } = registerEdgeAuth(api, verifier, metrics);
    const { limitRate } = createRateLimiter({ counters: stores.counters, limitPerMinute: config.RATE_LIMIT_PER_MINUTE, clock, logger, metrics });
    // Order matters. The caller is identified first so the limiter can count by user; a bad
    // token is refused only after it was counted (against the IP), so token guessing is
    // throttled too; routing and size checks come before any body is read.
    api.addHook('onRequest', identifyCaller);
    api.addHook('onRequest', limitRate);
    api.addHook('onRequest', refuseBadToken);
    api.addHook('onRequest', createRouteResolver(table, upstreams, metrics));
    api.addHook('onRequest', refuseDeclaredOversize);
    // The route's own limit is the largest any path may have; body-limit.ts applies the one for the path.
    api.route({
      // Not TRACE (cross-site tracing) nor CONNECT: those are 404 like any unknown route.
      method: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
      url: '/api/*',
      schema: { hide: true },
      bodyLimit: MAX_BODY_LIMIT,
      handler: async (request, reply) => forward(request, reply, request.upstreamTarget!, pathOf(request.url)),
    });
  });

  const document = createMergedDocument({
    services,
    upstreams,
    table,
    own: () => app.swagger(),
    ttlMs: config.OPENAPI_CACHE_MS,
    clock,
    logger,
  });
  await registerMergedOpenApi(app, document);

  let revocationFeed: Subscription | undefined;
  app.addHook('onReady', async () => {
    revocationFeed = await consumeSessionRevocations(bus, { revocations, clock, logger });
  });
  app.addHook('onClose', async () => {
    await revocationFeed?.stop();
  });

  return app;
}
