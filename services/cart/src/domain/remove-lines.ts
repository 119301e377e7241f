/**
 * DELETE /cart/items/:productId and DELETE /cart. Both are idempotent: removing what isn't
 * there is not an error. They take the cart's lock like every write to a cart.
 */
import { lockCart } from '../db/carts.repository.ts';
import { deleteLine, deleteLinesOf, readLines } from '../db/lines.repository.ts';
import { toCartView, type CartView } from './cart-view.ts';
import type { CartContext } from './context.ts';

export async function removeLine(ctx: CartContext, userId: string, productId: string): Promise<CartView> {
  return ctx.database.transaction(async (tx) => {
    await lockCart(tx, userId);
    await deleteLine(tx, userId, productId);
    return toCartView(await readLines(tx, userId), ctx.config.CART_DEFAULT_CURRENCY);
  });
}

export async function clearCart(ctx: CartContext, userId: string): Promise<void> {
  await ctx.database.transaction(async (tx) => {
    await lockCart(tx, userId);
    await deleteLinesOf(tx, userId);
  });
}
