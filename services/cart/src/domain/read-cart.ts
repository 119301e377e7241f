/** The user's cart: one query, since orders reads it on every checkout from the cart. */
import type { Queryable } from '@agora/kit/db/database';
import { readLines } from '../db/lines.repository.ts';
import type { CartContext } from './context.ts';
import { toCartView, type CartView } from './cart-view.ts';

export async function readCart(ctx: CartContext, userId: string, q: Queryable = ctx.database.db): Promise<CartView> {
  return toCartView(await readLines(q, userId), ctx.config.CART_DEFAULT_CURRENCY);
}
