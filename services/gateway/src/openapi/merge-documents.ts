/**
 * Merges the services' OpenAPI 3.1 documents into the one the gateway publishes. Pure: the
 * documents come in, one document goes out.
 *
 * - A service contributes only the paths the gateway actually routes to it.
 * - Components merge by name; a name two services use for different things is renamed
 *   `<service>_<name>` in the later service's document, references included, so no schema is
 *   silently replaced by another (fastify-swagger's generated `def-0` names collide by design).
 * - Every proxied operation also documents what the gateway itself may answer in front of the
 *   service (401 for a bad token, 413, 429, 503, 504), unless the service documents that status.
 */
import { isDeepStrictEqual } from 'node:util';
import type { RouteTable } from '../routing/route-table.ts';

export type Json = Record<string, any>;

export interface ServiceDocument {
  service: string;
  document: Json;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

const PROBLEM_SCHEMA: Json = {
  type: 'object',
  title: 'Problem (RFC 9457)',
  required: ['type', 'title', 'status', 'code'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: { type: 'string', description: 'Stable machine-readable code, AREA.WHAT' },
    errors: {
      type: 'array',
      items: { type: 'object', required: ['path', 'message'], properties: { path: { type: 'string' }, message: { type: 'string' } } },
    },
  },
};

const integerHeader = (description: string): Json => ({ description, schema: { type: 'integer', minimum: 0 } });

export const RATE_LIMIT_HEADERS: Json = {
  'RateLimit-Limit': integerHeader('Requests allowed per window'),
  'RateLimit-Remaining': integerHeader('Requests left in this window'),
  'RateLimit-Reset': integerHeader('Seconds until the window resets'),
};

const problemResponse = (description: string, headers?: Json): Json => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/GatewayProblem' } } },
  ...(headers ? { headers } : {}),
});

/** What the gateway answers on its own, in front of any service. */
export const GATEWAY_COMPONENTS: Json = {
  schemas: { GatewayProblem: PROBLEM_SCHEMA },
  responses: {
    GatewayBadRequest: problemResponse('Malformed request path (`GATEWAY.INVALID_PATH`) or a request that cannot be forwarded'),
    GatewayUnauthorized: problemResponse('The bearer token sent is invalid, expired or revoked (`AUTH.*`), checked at the edge'),
    GatewayPayloadTooLarge: problemResponse('The body is over the limit (`HTTP.PAYLOAD_TOO_LARGE`): 1 MiB, or 10 MiB for media uploads'),
    GatewayRateLimited: problemResponse('Too many requests from this client (`RATE_LIMITED`)', {
      ...RATE_LIMIT_HEADERS,
      'Retry-After': integerHeader('Seconds to wait before retrying'),
    }),
    GatewayUnavailable: problemResponse('The service behind the gateway is unavailable (`GATEWAY.SERVICE_UNAVAILABLE`)'),
    GatewayTimeout: problemResponse('The service did not answer in time (`GATEWAY.UPSTREAM_TIMEOUT`)'),
  },
};

const EDGE_RESPONSES: [status: string, component: string, when: (operation: Json) => boolean][] = [
  ['400', 'GatewayBadRequest', () => true],
  ['401', 'GatewayUnauthorized', () => true],
  ['413', 'GatewayPayloadTooLarge', (operation) => operation['requestBody'] !== undefined],
  ['429', 'GatewayRateLimited', () => true],
  ['503', 'GatewayUnavailable', () => true],
  ['504', 'GatewayTimeout', () => true],
];

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Copies `value`, rewriting `$ref`s and security requirement names through `renames`. */
function rewrite(value: unknown, refs: Map<string, string>, schemes: Map<string, string>, key?: string): unknown {
  if (Array.isArray(value)) {
    return value.map((item) => {
      // Security requirement objects are keyed by scheme name, not by reference.
      if (key === 'security' && isObject(item)) {
        return Object.fromEntries(Object.entries(item).map(([name, scopes]) => [schemes.get(name) ?? name, scopes]));
      }
      return rewrite(item, refs, schemes);
    });
  }
  if (!isObject(value)) return value;
  const out: Json = {};
  for (const [name, inner] of Object.entries(value)) {
    out[name] = name === '$ref' && typeof inner === 'string' ? (refs.get(inner) ?? inner) : rewrite(inner, refs, schemes, name);
  }
  return out;
}

/** Renames this service's components that clash with ones already merged. */
function withoutClashes(part: ServiceDocument, merged: Json): Json {
  const components = isObject(part.document['components']) ? part.document['components'] : {};
  const refs = new Map<string, string>();
  const schemes = new Map<string, string>();
  for (const [section, entries] of Object.entries(components)) {
    if (!isObject(entries)) continue;
    const existing = isObject(merged[section]) ? merged[section] : {};
    for (const [name, definition] of Object.entries(entries)) {
      if (existing[name] === undefined || isDeepStrictEqual(existing[name], definition)) continue;
      const renamed = `${part.service}_${name}`;
      refs.set(`#/components/${section}/${name}`, renamed);
      if (section === 'securitySchemes') schemes.set(name, renamed);
    }
  }
  if (refs.size === 0) return part.document;
  const prefixedRefs = new Map([...refs].map(([ref, renamed]) => [ref, ref.replace(/[^/]+$/, renamed)]));
  const document = rewrite(part.document, prefixedRefs, schemes) as Json;
  // Rename the definitions themselves.
  for (const [ref, renamed] of refs) {
    const [, , section, name] = ref.split('/') as [string, string, string, string];
    const entries = document['components'][section] as Json;
    entries[renamed] = entries[name];
    delete entries[name];
  }
  return document;
}

/** An OpenAPI path template as a gateway path: `{id}` is one segment like `:id`. */
const routedService = (table: RouteTable, template: string): string | undefined => table.match(template)?.service.name;

function addEdgeResponses(pathItem: Json): Json {
  const out: Json = { ...pathItem };
  for (const method of METHODS) {
    const operation = pathItem[method];
    if (!isObject(operation)) continue;
    const responses: Json = { ...(isObject(operation['responses']) ? operation['responses'] : {}) };
    for (const [status, component, applies] of EDGE_RESPONSES) {
      if (responses[status] === undefined && applies(operation)) responses[status] = { $ref: `#/components/responses/${component}` };
    }
    out[method] = { ...operation, responses };
  }
  return out;
}

export interface MergeResult {
  document: Json;
  /** Paths a service documented that the gateway doesn't route to it, or that another service took first. */
  skipped: { service: string; path: string; reason: string }[];
}

/**
 * `gateway` is the gateway's own document (info, security schemes, platform paths); `parts`
 * are the services' documents in service-list order.
 */
export function mergeDocuments(gateway: Json, parts: ServiceDocument[], table: RouteTable): MergeResult {
  const components: Json = {};
  const mergeComponents = (source: unknown) => {
    if (!isObject(source)) return;
    for (const [section, entries] of Object.entries(source)) {
      if (!isObject(entries)) continue;
      components[section] = { ...(isObject(components[section]) ? components[section] : {}), ...entries };
    }
  };
  mergeComponents(gateway['components']);
  mergeComponents(GATEWAY_COMPONENTS);

  const paths: Json = { ...(isObject(gateway['paths']) ? gateway['paths'] : {}) };
  const tags = new Map<string, Json>();
  for (const tag of Array.isArray(gateway['tags']) ? gateway['tags'] : []) if (isObject(tag)) tags.set(String(tag['name']), tag);
  const skipped: MergeResult['skipped'] = [];

  for (const part of parts) {
    const document = withoutClashes(part, components);
    for (const [path, item] of Object.entries(isObject(document['paths']) ? document['paths'] : {})) {
      if (!isObject(item)) continue;
      if (routedService(table, path) !== part.service) {
        skipped.push({ service: part.service, path, reason: 'not routed to this service' });
      } else if (paths[path] !== undefined) {
        skipped.push({ service: part.service, path, reason: 'already documented' });
      } else {
        paths[path] = addEdgeResponses(item);
      }
    }
    mergeComponents(document['components']);
    for (const tag of Array.isArray(document['tags']) ? document['tags'] : []) {
      if (isObject(tag) && !tags.has(String(tag['name']))) tags.set(String(tag['name']), tag);
    }
  }

  const merged: Json = { ...gateway, openapi: '3.1.0', paths, components };
  if (tags.size > 0) merged['tags'] = [...tags.values()];
  else delete merged['tags'];
  return { document: merged, skipped };
}
