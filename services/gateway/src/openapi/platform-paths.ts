/**
 * The gateway's own routes in the published document (API.md, "Platform"). The kit registers
 * health, metrics and the document route hidden, since for a service they are plumbing; for the
 * platform's clients they are part of the contract, so they are described here by hand.
 */
import type { Json } from './merge-documents.ts';

const json = (schema: Json, description: string): Json => ({ description, content: { 'application/json': { schema } } });

const healthReport: Json = {
  type: 'object',
  required: ['status'],
  properties: {
    status: { type: 'string', enum: ['ok', 'unavailable'] },
    checks: { type: 'object', additionalProperties: { type: 'string' }, description: '`ok`, or why a dependency is not ready' },
  },
};

const jwk: Json = {
  type: 'object',
  required: ['kty'],
  properties: {
    kty: { type: 'string' },
    crv: { type: 'string' },
    x: { type: 'string' },
    kid: { type: 'string' },
    alg: { type: 'string' },
    use: { type: 'string' },
  },
};

const platform = { tags: ['platform'] };

export const PLATFORM_TAG: Json = { name: 'platform', description: 'Health, metrics, documentation and signing keys' };

export const PLATFORM_PATHS: Json = {
  '/health/live': {
    get: { ...platform, summary: 'The gateway process answers', responses: { 200: json({ type: 'object', properties: { status: { const: 'ok' } } }, 'Alive') } },
  },
  '/health/ready': {
    get: {
      ...platform,
      summary: 'Ready only when every service behind the gateway, and its own stores and bus, are ready',
      responses: { 200: json(healthReport, 'Ready'), 503: json(healthReport, 'Not ready; `checks` says what is missing') },
    },
  },
  '/metrics': {
    get: { ...platform, summary: 'Prometheus metrics of the gateway', responses: { 200: { description: 'Prometheus text format', content: { 'text/plain': { schema: { type: 'string' } } } } } },
  },
  '/openapi.json': {
    get: { ...platform, summary: 'This document: every service merged', responses: { 200: json({ type: 'object' }, 'OpenAPI 3.1 document') } },
  },
  '/docs': {
    get: { ...platform, summary: 'Swagger UI over this document', responses: { 200: { description: 'HTML', content: { 'text/html': { schema: { type: 'string' } } } } } },
  },
  '/.well-known/jwks.json': {
    get: {
      ...platform,
      summary: 'Public keys that verify access tokens (RFC 7517)',
      responses: {
        200: json({ type: 'object', required: ['keys'], properties: { keys: { type: 'array', items: jwk } } }, 'JSON Web Key Set'),
        503: { $ref: '#/components/responses/GatewayUnavailable' },
        504: { $ref: '#/components/responses/GatewayTimeout' },
      },
    },
  },
};
