/**
 * Throttling of password guesses per (email, client address): 10 failures in 15 minutes and that
 * pair gets 429 until the window ends (API.md). Every attempt is counted before the password is
 * checked, so a burst of parallel guesses can't slip past the limit, and a success clears the
 * pair. Login and the password confirmations of signed-in users share the count.
 */
import { checkRateLimit, rateLimitHeaders } from '@agora/kit/store/rate-limit';
import { errors } from '@agora/kit/errors';
import type { IdentityContext } from './context.ts';
import { hashToken } from './credentials.ts';

export const MAX_FAILED_ATTEMPTS = 10;
export const ATTEMPT_WINDOW_MS = 15 * 60_000;

/** Hashed, so the shared store holds no email addresses. */
const attemptsKey = (email: string, ip: string): string => `identity:password-attempts:${hashToken(`${email}\n${ip}`)}`;

/** Counts an attempt; throws 429 AUTH.TOO_MANY_ATTEMPTS once the pair is over the limit. */
export async function countAttempt(ctx: IdentityContext, email: string, ip: string): Promise<void> {
  const key = attemptsKey(email, ip);
  const decision = await checkRateLimit(ctx.counters, key, MAX_FAILED_ATTEMPTS, ATTEMPT_WINDOW_MS, ctx.clock.now().getTime());
  if (!decision.allowed) {
    throw errors.tooManyRequests('AUTH.TOO_MANY_ATTEMPTS', 'Too many failed attempts; try again later', {
      detail: `Try again in ${decision.retryAfterSeconds} seconds`,
      headers: rateLimitHeaders(decision),
    });
  }
}

export async function clearAttempts(ctx: IdentityContext, email: string, ip: string): Promise<void> {
  await ctx.counters.reset(attemptsKey(email, ip));
}
