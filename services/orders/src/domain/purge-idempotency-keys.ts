/** Idempotency-Keys are kept IDEMPOTENCY_KEY_TTL_MS; this deletes the expired ones in batches. */
import { deleteExpiredKeys } from '../db/idempotency-keys.repository.ts';
import type { OrdersContext } from './context.ts';

const BATCH = 500;

export async function purgeExpiredKeys(ctx: OrdersContext): Promise<number> {
  let purged = 0;
  for (;;) {
    const deleted = await deleteExpiredKeys(ctx.database.db, ctx.clock.now(), BATCH);
    purged += deleted;
    if (deleted < BATCH) return purged;
  }
}
