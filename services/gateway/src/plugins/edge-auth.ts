/**
 * Edge authentication: a request that sends Authorization must carry a valid, unrevoked access
 * token, or it is refused here with 401 and never reaches a service. Services verify the token
 * again (they trust no identity header), so the edge check is about refusing early, revoking at
 * once and keying rate limits by user, not about being the only gate.
 *
 * Two hooks, so the rate limiter can run between them: `identifyCaller` verifies and remembers
 * the outcome, `refuseBadToken` answers 401 afterwards. A client hammering with bad tokens is
 * thereby counted against its IP like any anonymous client.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { bearerToken } from '@agora/kit/http/auth';
import type { AppError} from '@agora/kit/errors';
import { errors, isAppError } from '@agora/kit/errors';
import type { AccessTokenVerifier } from '@agora/kit/auth/access-token';
import type { GatewayMetrics } from '../gateway-metrics.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Why the token sent with this request was refused; null when it was fine or absent. */
    tokenRefusal: AppError | null;
  }
}

export function registerEdgeAuth(api: FastifyInstance, verifier: AccessTokenVerifier, metrics: GatewayMetrics) {
  api.decorateRequest('principal', null);
  api.decorateRequest('tokenRefusal', null);

  async function identifyCaller(request: FastifyRequest): Promise<void> {
    let token: string | null;
    try {
      token = bearerToken(request);
    } catch (error) {
      request.tokenRefusal = error as AppError;
      return;
    }
    if (token === null) return;
    try {
      request.principal = await verifier.verify(token);
    } catch (error) {
      if (isAppError(error) && error.status === 401) {
        request.tokenRefusal = error;
        return;
      }
      if (isAppError(error)) throw error;
      // The revocation list could not be read. Refusing is the safe side: the token may belong to
      // a session revoked a moment ago, and services would fail the same check anyway.
      throw errors.unavailable('GATEWAY.AUTH_UNAVAILABLE', 'Sessions cannot be checked right now', { cause: error });
    }
  }

  async function refuseBadToken(request: FastifyRequest): Promise<void> {
    if (request.tokenRefusal) {
      metrics.refused.inc({ reason: 'token' });
      throw request.tokenRefusal;
    }
  }

  return { identifyCaller, refuseBadToken };
}
