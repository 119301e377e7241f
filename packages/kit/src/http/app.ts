/**
 * The HTTP chassis every service starts from: Fastify with TypeBox schemas (validation, types
 * and OpenAPI from one definition), request and correlation ids, problem+json errors, RED
 * metrics, health probes and the service's own OpenAPI document. Services add routes to it.
 */
import Fastify, { LogController, type FastifyInstance, type FastifyBaseLogger, type RawServerDefault, type FastifySchema, type FastifyReply } from 'fastify';
import { Ajv, type Options as AjvOptions } from 'ajv';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import swagger from '@fastify/swagger';
import addFormats from 'ajv-formats';
import type { Logger } from '../logger.ts';
import { newId } from '../ids.ts';
import { toProblem, PROBLEM_CONTENT_TYPE } from './problem.ts';
import { createMetrics, type Metrics } from './metrics.ts';
import { registerHealth, type ReadinessCheck } from './health.ts';
import { errors } from '../errors.ts';
import { nameServerSpan, tracedServerFactory } from '../tracing/http-server.ts';
import type { Tracer } from '../tracing/tracing.ts';

export type HttpApp = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, TypeBoxTypeProvider>;

export interface HttpAppOptions {
  service: string;
  logger: Logger;
  /** Largest accepted body in bytes; larger ones are answered 413. */
  bodyLimit?: number;
  readiness?: Record<string, ReadinessCheck>;
  metrics?: Metrics;
  openapi?: { title?: string; description?: string; version?: string };
  /** Honour X-Forwarded-For from the hops in front (the gateway, a load balancer). */
  trustProxy?: boolean | string | string[];
  /** A server span per request when set (see ../tracing/http-server.ts). */
  tracer?: Tracer | undefined;
}

declare module 'fastify' {
  interface FastifyRequest {
    correlationId: string;
  }
  interface FastifyInstance {
    metrics: Metrics;
  }
}

const SAFE_ID = /^[\w.:-]{1,128}$/;
export const MiB = 1024 * 1024;

/**
 * Two validators: bodies are checked as sent (a number is not silently turned into a string),
 * while path and query values, which arrive as text, are coerced to their declared types.
 */
function createValidators() {
  const base: AjvOptions = { removeAdditional: false, useDefaults: true, allErrors: true, strict: false };
  const exact = new Ajv({ ...base, coerceTypes: false });
  const coercing = new Ajv({ ...base, coerceTypes: 'array' });
  for (const ajv of [exact, coercing]) (addFormats.default ?? addFormats)(ajv);
  return ({ schema, httpPart }: { schema: FastifySchema; httpPart?: string }) =>
    (httpPart === 'body' ? exact : coercing).compile(schema as object);
}

export async function createHttpApp(options: HttpAppOptions): Promise<HttpApp> {
  // Typed as Fastify's logger so the app's type parameters stay the default ones.
  const loggerInstance: FastifyBaseLogger = options.logger;
  const app = Fastify({
    loggerInstance,
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    bodyLimit: options.bodyLimit ?? MiB,
    trustProxy: options.trustProxy ?? false,
    requestIdHeader: false,
    // Echo the caller's id when it is a sane token, so logs line up across hops.
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && SAFE_ID.test(given) ? given : newId();
    },
    // Errors Fastify raises before routing (a malformed URL) get the same problem+json answer.
    frameworkErrors: (error, request, reply: FastifyReply) => {
      const { problem, headers } = toProblem(error);
      void reply.status(problem.status).headers(headers).header('x-request-id', request.id).type(PROBLEM_CONTENT_TYPE).send(problem);
    },
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    ...(options.tracer ? { serverFactory: tracedServerFactory(options.tracer) } : {}),
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setValidatorCompiler(createValidators());

  const metrics = options.metrics ?? createMetrics(options.service);
  app.decorate('metrics', metrics);
  app.decorateRequest('correlationId', '');

  app.addHook('onRequest', async (request, reply) => {
    const given = request.headers['x-correlation-id'];
    request.correlationId = typeof given === 'string' && SAFE_ID.test(given) ? given : request.id;
    if (request.correlationId !== request.id) request.log = request.log.child({ correlationId: request.correlationId });
    void reply.header('x-request-id', request.id);
  });

  app.addHook('onResponse', async (request, reply) => {
    if (options.tracer) nameServerSpan(request.raw, request.routeOptions.url);
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpDuration.observe({ method: request.method, route, status_code: String(reply.statusCode) }, reply.elapsedTime / 1000);
    const level = reply.statusCode >= 500 ? 'error' : 'debug';
    request.log[level]({ method: request.method, url: request.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request completed');
  });

  app.setErrorHandler((error, request, reply) => {
    const { problem, headers } = toProblem(error);
    if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.debug({ code: problem.code }, 'request refused');
    return reply.status(problem.status).headers(headers).type(PROBLEM_CONTENT_TYPE).send(problem);
  });

  app.setNotFoundHandler((request) => {
    throw errors.notFound('HTTP.NOT_FOUND', 'No such route', { detail: `${request.method} ${request.url.split('?')[0]}` });
  });

  // Awaited so that swagger sees every route the service adds afterwards.
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: options.openapi?.title ?? `Agora ${options.service}`,
        description: options.openapi?.description,
        version: options.openapi?.version ?? '1.0.0',
      },
      components: {
        securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      },
    },
  });

  // A keep-alive connection whose response finishes after close began would otherwise idle
  // until keepAliveTimeout (72 s) and hold the shutdown; from preClose on it closes at once.
  // Node reads the value each time a connection turns idle (0 would mean "never").
  app.addHook('preClose', async () => {
    app.server.keepAliveTimeout = 1;
  });

  registerHealth(app, options.readiness ?? {});

  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    void reply.type(metrics.registry.contentType);
    return metrics.registry.metrics();
  });

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  return app;
}
