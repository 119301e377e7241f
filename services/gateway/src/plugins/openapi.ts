/**
 * `GET /openapi.json` and `GET /docs`: one OpenAPI 3.1 document for the whole platform. Each
 * running service's own document is fetched when first asked for and reused for a short while;
 * a service that is down is left out of that copy (and asked again sooner) rather than failing
 * the whole document.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import swaggerUi from '@fastify/swagger-ui';
import type { ServiceEntry } from '@agora/contracts/services';
import type { Clock } from '@agora/kit/clock';
import type { Logger } from '@agora/kit/logger';
import { mergeDocuments, type Json, type ServiceDocument } from '../openapi/merge-documents.ts';
import { PLATFORM_PATHS, PLATFORM_TAG } from '../openapi/platform-paths.ts';
import type { RouteTable } from '../routing/route-table.ts';

/** How long a document missing some service is kept before asking the services again. */
const INCOMPLETE_TTL_MS = 5_000;
const FETCH_TIMEOUT_MS = 2_000;

export interface MergedDocumentOptions {
  services: readonly ServiceEntry[];
  upstreams: Record<string, string>;
  table: RouteTable;
  /** The gateway's own document (info, security schemes). */
  own: () => Json;
  ttlMs: number;
  clock: Clock;
  logger: Logger;
}

async function fetchDocument(service: string, base: string, logger: Logger): Promise<ServiceDocument | null> {
  try {
    const response = await fetch(`${base}/openapi.json`, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
    if (!response.ok) throw new Error(`answered ${response.status}`);
    const document = (await response.json());
    if (typeof document !== 'object' || document === null || Array.isArray(document)) throw new Error('not a JSON object');
    return { service, document: document };
  } catch (error) {
    logger.warn({ err: error, service }, 'service OpenAPI document unavailable; its paths are left out');
    return null;
  }
}

export function createMergedDocument(options: MergedDocumentOptions): { get(): Promise<Json> } {
  let cached: { document: Json; expiresAt: number } | null = null;
  let pending: Promise<Json> | null = null;
  const now = () => options.clock.now().getTime();

  async function build(): Promise<Json> {
    const running = options.services.filter((service) => service.built && options.upstreams[service.name]);
    const fetched = await Promise.all(running.map((service) => fetchDocument(service.name, options.upstreams[service.name]!, options.logger)));
    const parts = fetched.filter((part): part is ServiceDocument => part !== null);
    const own = options.own();
    const gateway: Json = {
      ...own,
      info: { ...own['info'], title: 'Agora API', description: 'Every Agora service behind the gateway, in one document.' },
      paths: { ...PLATFORM_PATHS, ...own['paths'] },
      tags: [PLATFORM_TAG],
    };
    const { document, skipped } = mergeDocuments(gateway, parts, options.table);
    if (skipped.length > 0) options.logger.debug({ skipped }, 'service paths left out of the merged document');
    const complete = parts.length === running.length;
    cached = { document, expiresAt: now() + (complete ? options.ttlMs : Math.min(options.ttlMs, INCOMPLETE_TTL_MS)) };
    return document;
  }

  return {
    async get() {
      if (cached && cached.expiresAt > now()) return cached.document;
      // One fetch round for all the callers that arrive while it runs.
      pending ??= build().finally(() => {
        pending = null;
      });
      return pending;
    },
  };
}

export async function registerMergedOpenApi(app: FastifyInstance, source: { get(): Promise<Json> }): Promise<void> {
  const sendMerged = async (_request: FastifyRequest, reply: FastifyReply) => reply.type('application/json; charset=utf-8').send(await source.get());

  // The kit answers /openapi.json with the gateway's own document; here it is the merged one.
  app.addHook('preHandler', async (request, reply) => {
    if (request.routeOptions.url === '/openapi.json' && (request.method === 'GET' || request.method === 'HEAD')) {
      return sendMerged(request, reply);
    }
    return undefined;
  });

  await app.register(swaggerUi, {
    routePrefix: '/docs',
    uiConfig: { deepLinking: true, displayRequestDuration: true },
    uiHooks: {
      // Swagger UI loads ./json; serve the merged document there (and at ./yaml: JSON is YAML 1.2).
      preHandler: (request, reply, done) => {
        const url = request.routeOptions.url;
        if (url !== '/docs/json' && url !== '/docs/yaml') {
          done();
          return;
        }
        sendMerged(request, reply).catch(done);
      },
    },
  });
}
