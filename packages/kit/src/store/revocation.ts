/**
 * Revoked sessions, checked by the gateway on every authenticated request: one GET per check.
 * An entry only has to outlive the access tokens of its session, so callers pass the access-token
 * lifetime (or what is left of it) as the TTL and the list cleans itself up.
 */
import type { KeyValueStore } from './types.ts';

export interface RevocationList {
  revoke(sessionId: string, ttlMs: number): Promise<void>;
  isRevoked(sessionId: string): Promise<boolean>;
}

const keyFor = (sessionId: string): string => {
  if (sessionId === '') throw new RangeError('Session id must not be empty');
  return `revoked:sid:${sessionId}`;
};

export function createRevocationList(kv: KeyValueStore): RevocationList {
  return {
    async revoke(sessionId, ttlMs) {
      await kv.set(keyFor(sessionId), '1', ttlMs);
    },
    async isRevoked(sessionId) {
      return (await kv.get(keyFor(sessionId))) !== null;
    },
  };
}
