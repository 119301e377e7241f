import type { FastifyRequest } from 'fastify';
import type { RequestMeta } from '../domain/context.ts';

/** `ip` is the client's address as forwarded by the gateway (the app trusts X-Forwarded-For from private hops). */
export const requestMeta = (request: FastifyRequest): RequestMeta => ({ correlationId: request.correlationId, ip: request.ip });
