/**
 * PUT /cart/items/:productId: sets a line's quantity, adding the line if absent. The cart's row is
 * locked first, so the checks across lines (how many, which currency) hold when writes to one
 * cart race; the product is held (shared) so its deletion waits and then drops the line.
 */
import { lockCart } from '../db/carts.repository.ts';
import { readLines, upsertLine } from '../db/lines.repository.ts';
import { lockProductForLine } from '../db/products.repository.ts';
import { toCartView, type CartView } from './cart-view.ts';
import type { CartContext } from './context.ts';
import { cartErased, currencyMismatch, productNotFound, tooManyLines } from './errors.ts';

export const MAX_LINES = 100;

export async function setQuantity(ctx: CartContext, userId: string, productId: string, quantity: number): Promise<CartView> {
  const now = ctx.clock.now();
  return ctx.database.transaction(async (tx) => {
    const { erased } = await lockCart(tx, userId);
    if (erased) throw cartErased();
    const product = await lockProductForLine(tx, productId);
    if (!product) throw productNotFound();

    const lines = await readLines(tx, userId);
    const others = lines.filter((line) => line.productId !== productId);
    const foreign = [...new Set(others.map((line) => line.currency))].filter((currency) => currency !== product.currency);
    if (foreign.length > 0) throw currencyMismatch(product.currency, foreign);
    const isNewLine = others.length === lines.length;
    if (isNewLine && lines.length >= MAX_LINES) throw tooManyLines(MAX_LINES);

    await upsertLine(tx, { userId, productId, quantity, at: now });
    return toCartView(await readLines(tx, userId), ctx.config.CART_DEFAULT_CURRENCY);
  });
}
