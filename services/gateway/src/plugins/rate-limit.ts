/**
 * Per-client rate limits on /api/*: a signed-in caller is counted by user id (wherever it calls
 * from), anyone else by client IP; RATE_LIMIT_PER_MINUTE requests per fixed one-minute window.
 * Every counted response announces the budget (RateLimit-Limit/-Remaining/-Reset); past it the
 * answer is 429 `RATE_LIMITED` with Retry-After.
 *
 * When the counter store fails (Redis down), requests are served unlimited and a warning is
 * logged: the limiter protects the platform from abuse, it is not part of any answer's
 * correctness, and letting a cache outage take the whole API down would turn a degraded
 * protection into a full outage. Brute-force protection of credentials does not rest on it
 * (identity throttles failed logins itself). Revocation checks fail closed instead; see edge-auth.
 */
import type { FastifyRequest, FastifyReply } from 'fastify';
import { errors } from '@agora/kit/errors';
import { checkRateLimit, rateLimitHeaders } from '@agora/kit/store/rate-limit';
import type { CounterStore } from '@agora/kit/store/types';
import type { Clock } from '@agora/kit/clock';
import type { Logger } from '@agora/kit/logger';
import type { GatewayMetrics } from '../gateway-metrics.ts';

export const RATE_LIMIT_WINDOW_MS = 60_000;
/** One warning per this interval while the store is failing, not one per request. */
const WARN_EVERY_MS = 10_000;

export interface RateLimitOptions {
  counters: CounterStore;
  limitPerMinute: number;
  clock: Clock;
  logger: Logger;
  metrics: GatewayMetrics;
}

export const rateLimitKey = (request: FastifyRequest): string =>
  request.principal ? `ratelimit:gateway:user:${request.principal.userId}` : `ratelimit:gateway:ip:${request.ip}`;

/** The onRequest hook; it must run after edge auth has identified the caller. */
export function createRateLimiter(options: RateLimitOptions) {
  let lastWarning = 0;

  async function limitRate(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const now = options.clock.now().getTime();
    let decision;
    try {
      decision = await checkRateLimit(options.counters, rateLimitKey(request), options.limitPerMinute, RATE_LIMIT_WINDOW_MS, now);
    } catch (error) {
      options.metrics.rateLimitStoreErrors.inc();
      if (now - lastWarning >= WARN_EVERY_MS) {
        lastWarning = now;
        options.logger.warn({ err: error }, 'rate-limit store failed; serving without limits');
      }
      return;
    }
    const headers = rateLimitHeaders(decision);
    if (!decision.allowed) {
      options.metrics.refused.inc({ reason: 'rate_limited' });
      throw errors.tooManyRequests('RATE_LIMITED', 'Too many requests', {
        detail: `At most ${decision.limit} requests per minute; try again in ${decision.retryAfterSeconds ?? decision.resetSeconds} s`,
        headers,
      });
    }
    void reply.headers(headers);
  }

  return { limitRate };
}
