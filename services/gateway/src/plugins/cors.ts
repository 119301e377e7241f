/**
 * CORS for browser clients (https://fetch.spec.whatwg.org/#http-cors-protocol). Tokens travel in
 * the Authorization header, never in cookies, so credentials stay off and `*` is a safe default.
 * Preflights are answered in the first hook, before auth and rate limits, as the spec expects.
 */
import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';

/** Idempotent-Replayed tells a client of POST /orders that it got the stored first answer. */
export const EXPOSED_HEADERS = ['X-Request-Id', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset', 'Retry-After', 'Idempotent-Replayed'];

export function corsOrigins(setting: string): '*' | string[] {
  const origins = setting.split(',').map((origin) => origin.trim().replace(/\/+$/, '')).filter((origin) => origin !== '');
  return origins.length === 0 || origins.includes('*') ? '*' : origins;
}

export async function registerCors(app: FastifyInstance, setting: string): Promise<void> {
  const origins = corsOrigins(setting);
  await app.register(cors, {
    origin: origins,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    exposedHeaders: EXPOSED_HEADERS,
    credentials: false,
    maxAge: 600,
  });
}
