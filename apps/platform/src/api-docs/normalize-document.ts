/**
 * The served document as a stable file. Its content stays as served, with two exceptions: it
 * names a server (the gateway serves none, which means "this host", and a file has no host), and
 * key order is fixed where it is only an artifact of the merge. Paths and schema properties keep
 * the order the services declare, which is the order /docs shows and Postman bodies follow.
 */
import type { Json } from '@agora/gateway/openapi/merge-documents';

/** The gateway as `npm start` runs it; also the Postman collection's {{baseUrl}}. */
export const BASE_URL = 'http://localhost:8080';

/** The specification's own order of the top-level fields; anything else (x-…) after, sorted. */
const TOP_LEVEL = ['openapi', 'info', 'jsonSchemaDialect', 'servers', 'security', 'tags', 'paths', 'webhooks', 'components', 'externalDocs'];

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

function ordered(object: Json, first: readonly string[] = []): Json {
  const rest = Object.keys(object).filter((key) => !first.includes(key)).sort();
  return Object.fromEntries([...first.filter((key) => key in object), ...rest].map((key) => [key, object[key]]));
}

export function normalizeDocument(served: Json): Json {
  const document: Json = { ...served, servers: [{ url: BASE_URL, description: 'The gateway on its default port (npm start)' }] };
  // Components arrive in the order services were merged, renamed ones wherever the clash was.
  if (isObject(document['components'])) {
    const components = ordered(document['components']);
    for (const [section, entries] of Object.entries(components)) if (isObject(entries)) components[section] = ordered(entries);
    document['components'] = components;
  }
  return ordered(document, TOP_LEVEL);
}
