/**
 * Idempotency-Keys with Stripe's semantics (https://docs.stripe.com/api/idempotent_requests):
 * keys are scoped to the user; the first response to a key (status and body) is kept for
 * IDEMPOTENCY_KEY_TTL_MS and replayed for the same request; the same key with another request
 * is 422; while the first request is in flight, 409.
 *
 * Two phases, so a replay never depends on a lock held across the slow part: the key is first
 * claimed in a transaction of its own (committed, so concurrent requests see it), then the work
 * runs and stores its response on the key in the transaction that creates the order. A claim
 * whose request died with its process is taken over after IDEMPOTENCY_CLAIM_TIMEOUT_MS.
 */
import { createHash } from 'node:crypto';
import { newId } from '@agora/kit/ids';
import { insertClaim, lockKey, reclaim, type Claim, type StoredResponse } from '../db/idempotency-keys.repository.ts';
import type { OrdersContext } from './context.ts';
import { idempotencyKeyInUse, idempotencyKeyReused } from './errors.ts';

export type { Claim, StoredResponse };

export type ClaimOutcome = { kind: 'claimed'; claim: Claim } | { kind: 'replay'; response: StoredResponse };

/** JSON with object keys sorted at every depth, so `{a,b}` and `{b,a}` are one request. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** What "the same request" means: the same canonical body. */
export const fingerprintOf = (body: unknown): string => createHash('sha256').update(canonicalJson(body)).digest('hex');

/**
 * Claims `key` for this request, or tells what to answer instead: the stored response (replay),
 * 422 for another request under the key, 409 while another request holds it.
 */
export async function claimKey(ctx: OrdersContext, userId: string, key: string, fingerprint: string): Promise<ClaimOutcome> {
  // A key released between this request's insert and its lock is simply claimed on the next turn.
  for (let attempt = 0; ; attempt++) {
    const outcome = await ctx.database.transaction(async (tx): Promise<ClaimOutcome | null> => {
      const now = ctx.clock.now();
      const claim = { userId, key, claimId: newId(), fingerprint, claimedAt: now, expiresAt: new Date(now.getTime() + ctx.config.IDEMPOTENCY_KEY_TTL_MS) };
      if (await insertClaim(tx, claim)) return { kind: 'claimed', claim };

      const existing = await lockKey(tx, userId, key);
      if (!existing) return null;
      // Expired but not purged yet: the key is free again.
      if (existing.expiresAt.getTime() <= now.getTime()) {
        await reclaim(tx, claim);
        return { kind: 'claimed', claim };
      }
      if (existing.fingerprint !== fingerprint) throw idempotencyKeyReused();
      if (existing.state === 'completed') return { kind: 'replay', response: { status: existing.responseStatus!, body: existing.responseBody } };
      if (now.getTime() - existing.claimedAt.getTime() >= ctx.config.IDEMPOTENCY_CLAIM_TIMEOUT_MS) {
        await reclaim(tx, { ...claim, expiresAt: existing.expiresAt });
        return { kind: 'claimed', claim };
      }
      throw idempotencyKeyInUse();
    });
    if (outcome) return outcome;
    if (attempt >= 3) throw idempotencyKeyInUse();
  }
}
