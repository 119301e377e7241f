/**
 * The simulated processor API.md describes: `pm_card_ok` is approved, `pm_card_declined` is
 * declined. References derive from the idempotency key, so a retried call answers exactly what
 * the first one did, as a real processor's idempotent API would.
 */
import type { CardProcessor } from '../domain/card-processor.ts';

export function simulatedCardProcessor(): CardProcessor {
  return {
    async charge({ method, idempotencyKey }) {
      if (method === 'pm_card_ok') return { outcome: 'approved', reference: `ch_sim_${idempotencyKey}` };
      return { outcome: 'declined', reason: 'card_declined' };
    },
    async refund({ idempotencyKey }) {
      return { reference: `re_sim_${idempotencyKey}` };
    },
  };
}
