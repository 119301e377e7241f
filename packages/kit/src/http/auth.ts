/**
 * Route-level authentication: `authenticate` reads a bearer token when one is sent, and
 * `requireUser` / `requireRole` refuse requests without the right principal. Services trust no
 * identity header: the principal comes only from a verified token.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { errors } from '../errors.ts';
import type { AccessTokenVerifier, Principal, Role } from '../auth/access-token.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw errors.unauthorized('AUTH.INVALID_TOKEN', 'Authorization must be a Bearer token');
  return match[1]!;
}

/**
 * Verifies the bearer token of every request that sends one; a bad token is 401 even on public
 * routes. It runs on request, before the body is parsed and validated, so a caller without a
 * valid token learns that first (use `onRequest: requireUser` on routes for the same reason).
 */
export function registerAuthentication(app: FastifyInstance, verifier: AccessTokenVerifier): void {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request) => {
    const token = bearerToken(request);
    if (token) request.principal = await verifier.verify(token);
  });
}

export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw errors.unauthorized('AUTH.REQUIRED', 'Sign in to do this');
  return request.principal;
}

export async function requireUser(request: FastifyRequest): Promise<void> {
  principalOf(request);
}

export function requireRole(...roles: Role[]) {
  return async (request: FastifyRequest): Promise<void> => {
    const principal = principalOf(request);
    if (!roles.some((role) => principal.roles.includes(role))) throw errors.forbidden('AUTH.FORBIDDEN', 'You are not allowed to do this');
  };
}

/** OpenAPI fragment for routes that need a token. */
export const bearerSecurity = [{ bearerAuth: [] }];
