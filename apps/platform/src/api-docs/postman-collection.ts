/**
 * The Postman v2.1 collection converted from the (normalized) merged document, with everything
 * random in the conversion made a function of the document, so converting twice gives the same
 * bytes.
 */
import { createRequire } from 'node:module';
import { convertV2, type Options } from 'openapi-to-postmanv2';
import type { Json } from '@agora/gateway/openapi/merge-documents';
import { BASE_URL } from './normalize-document.ts';
import { withStableIds } from './stable-ids.ts';

const OPTIONS: Options = {
  // One folder per tag (auth, posts, cart…), the grouping /docs shows.
  folderStrategy: 'Tags',
  // Requests are named by their summary, else operationId, else URL.
  requestNameSource: 'Fallback',
  // Typed placeholders (`<uuid>`, `<string>`) rather than invented values.
  parametersResolution: 'Schema',
};

/**
 * What a placeholder can't stand for (which enum value, how many map entries) the converter
 * fakes with its bundled json-schema-faker, drawing from Math.random, and it has no option to
 * seed it. This is the very file it requires, one instance per process, so the `random` set
 * here is the one the conversion draws from.
 */
const faker = createRequire(import.meta.url)('openapi-to-postmanv2/assets/json-schema-faker.js') as {
  option(options: { random: () => number }): void;
};

/** mulberry32: a tiny seeded generator; any fixed sequence would do. */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A plain string becomes `<string>`, but for one with a `pattern` the converter invents a random
 * matching string (`")mJ;o"` for "not blank"): noise in a body someone is about to edit.
 */
function withoutPatterns(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutPatterns);
  if (!isObject(value)) return value;
  // A property *named* pattern is a schema (an object), so only string values are dropped.
  return Object.fromEntries(Object.entries(value).filter(([key, inner]) => !(key === 'pattern' && typeof inner === 'string')).map(([key, inner]) => [key, withoutPatterns(inner)]));
}

async function convert(document: Json): Promise<Json> {
  faker.option({ random: seededRandom(1) });
  try {
    return await new Promise((resolve, reject) => {
      convertV2({ type: 'json', data: document }, OPTIONS, (error, result) => {
        const collection = result?.output?.[0]?.data;
        if (error) reject(new Error(`openapi-to-postmanv2: ${error.message}`));
        else if (!result?.result || !isObject(collection)) reject(new Error(`openapi-to-postmanv2: ${result?.reason ?? 'no collection'}`));
        else resolve(collection);
      });
    });
  } finally {
    faker.option({ random: Math.random });
  }
}

const BEARER: Json = { type: 'bearer', bearer: [{ key: 'token', value: '{{accessToken}}', type: 'string' }] };

/**
 * Secured requests send {{accessToken}}; the others explicitly send nothing. Left to inherit,
 * they would pick up a token set on a parent folder, and the gateway answers 401 to any request
 * carrying a stale token, sign-in and refresh included.
 */
function withAuth(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withAuth);
  if (!isObject(value)) return value;
  if (Array.isArray(value['item'])) return { ...value, item: value['item'].map(withAuth) };
  if (!isObject(value['request'])) return value;
  const auth = value['request']['auth'];
  const secured = isObject(auth) && auth['type'] === 'bearer';
  return { ...value, request: { ...value['request'], auth: secured ? BEARER : { type: 'noauth' } } };
}

const VARIABLES: Json[] = [
  { key: 'baseUrl', value: BASE_URL, type: 'string' },
  { key: 'accessToken', value: '', type: 'string', description: 'An access token from POST /api/v1/auth/login or /api/v1/auth/refresh' },
];

export async function postmanCollection(document: Json): Promise<Json> {
  const converted = await convert(withoutPatterns(document) as Json);
  return withStableIds({ ...converted, item: withAuth(converted['item']), variable: VARIABLES });
}
