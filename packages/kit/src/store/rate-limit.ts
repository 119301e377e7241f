/**
 * Fixed-window rate limiting over a CounterStore, and the response headers that announce it
 * (IETF draft "RateLimit header fields for HTTP", draft-ietf-httpapi-ratelimit-headers, in its
 * RateLimit-Limit / -Remaining / -Reset form; Retry-After per RFC 9110 §10.2.3).
 */
import type { CounterStore } from './types.ts';

export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  /** Requests left in this window; never negative. */
  remaining: number;
  /** Whole seconds until the window ends, rounded up, at least 1. */
  resetSeconds: number;
  /** Set only when refused: whole seconds to wait before trying again. */
  retryAfterSeconds?: number;
}

/**
 * Counts this request against `key` and decides: one atomic increment per check, so concurrent
 * requests can't all slip under the limit (refused ones are counted too). `now` is the clock the
 * counters use (tests pass their manual clock's time).
 */
export async function checkRateLimit(
  counters: CounterStore,
  key: string,
  limit: number,
  windowMs: number,
  now: number = Date.now(),
): Promise<RateLimitDecision> {
  if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`Rate limit must be a positive integer, got ${limit}`);
  if (!Number.isFinite(windowMs) || windowMs <= 0) throw new RangeError(`Rate-limit window must be a positive number of milliseconds, got ${windowMs}`);
  const { count, resetAt } = await counters.increment(key, windowMs);
  // Never more than one window away: on Redis, resetAt carries a round trip of clock noise.
  const resetSeconds = Math.min(Math.ceil(windowMs / 1000), Math.max(1, Math.ceil((resetAt - now) / 1000)));
  const allowed = count <= limit;
  const decision: RateLimitDecision = { allowed, limit, remaining: Math.max(0, limit - count), resetSeconds };
  if (!allowed) decision.retryAfterSeconds = resetSeconds;
  return decision;
}

export function rateLimitHeaders(decision: RateLimitDecision): Record<string, string> {
  const headers: Record<string, string> = {
    'RateLimit-Limit': String(decision.limit),
    'RateLimit-Remaining': String(decision.remaining),
    'RateLimit-Reset': String(decision.resetSeconds),
  };
  if (!decision.allowed) headers['Retry-After'] = String(decision.retryAfterSeconds ?? decision.resetSeconds);
  return headers;
}
