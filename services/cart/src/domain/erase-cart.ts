/**
 * user.deleted: the cart goes, and stays gone. The cart row is kept as a tombstone so a write with
 * a token that outlives the account (or racing the deletion: both lock that row) adds nothing.
 */
import type { Tx } from '@agora/kit/db/database';
import { markErased } from '../db/carts.repository.ts';
import { deleteLinesOf } from '../db/lines.repository.ts';

export async function eraseCart(tx: Tx, userId: string, at: Date): Promise<void> {
  await markErased(tx, userId, at);
  await deleteLinesOf(tx, userId);
}
