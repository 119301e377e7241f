/**
 * `session.revoked` → the revocation list, so the edge refuses the session's access tokens at
 * once rather than at expiry (DESIGN.md, "Identity at the edge"). Plain `bus.consume`: the
 * gateway has no database for processed-event bookkeeping, and none is needed, since writing a
 * session id into the list twice is the same as once.
 */
import { Value } from 'typebox/value';
import { SessionRevoked, type EventData } from '@agora/contracts/events';
import { ACCESS_TOKEN_TTL_SECONDS } from '@agora/kit/auth/access-token';
import type { DeliveryHandler, EventBus, Subscription } from '@agora/kit/bus/types';
import type { RevocationList } from '@agora/kit/store/revocation';
import type { Clock } from '@agora/kit/clock';
import type { Logger } from '@agora/kit/logger';

export const GATEWAY_QUEUE = 'gateway';

/**
 * No access token outlives this (the verifier refuses older ones), so no entry needs to either,
 * whatever `revokeUntil` says.
 */
const LONGEST_TOKEN_LIFE_MS = (ACCESS_TOKEN_TTL_SECONDS + 60) * 1000;

export async function recordRevocation(data: EventData<'session.revoked'>, revocations: RevocationList, clock: Clock): Promise<void> {
  const remaining = Date.parse(data.revokeUntil) - clock.now().getTime();
  // Every token of the session has expired already: nothing left to refuse.
  if (!(remaining > 0)) return;
  await revocations.revoke(data.sessionId, Math.min(remaining, LONGEST_TOKEN_LIFE_MS));
}

export interface SessionRevokedDeps {
  revocations: RevocationList;
  clock: Clock;
  logger: Logger;
}

export function sessionRevokedHandler(deps: SessionRevokedDeps): DeliveryHandler {
  return async ({ envelope }) => {
    if (!Value.Check(SessionRevoked, envelope.data)) {
      // Thrown so the bus retries and then parks it in the dead-letter queue, where it is visible.
      const problems = [...Value.Errors(SessionRevoked, envelope.data)].map((error) => `${error.instancePath || '/'} ${error.message}`);
      throw new Error(`invalid session.revoked ${envelope.id}: ${problems.join('; ')}`);
    }
    await recordRevocation(envelope.data, deps.revocations, deps.clock);
    deps.logger.debug({ sessionId: envelope.data.sessionId, reason: envelope.data.reason }, 'session revoked at the edge');
  };
}

export async function consumeSessionRevocations(bus: EventBus, deps: SessionRevokedDeps): Promise<Subscription> {
  return bus.consume(GATEWAY_QUEUE, ['session.revoked'], sessionRevokedHandler(deps));
}
