/**
 * The cart as API.md shows it. A cart holds one currency: the cart's writes refuse a product in
 * another one. A product's currency can still change after it went in a cart (product.updated);
 * such a cart then shows each line's own currency, the cart's currency is that of its oldest
 * line and `totalCents` sums the lines in it, and any write but a removal is 409 until the cart
 * is back to one currency.
 */
import type { PricedLine } from '../db/lines.repository.ts';

export interface CartLineView {
  productId: string;
  name: string;
  unitPriceCents: number;
  quantity: number;
  lineTotalCents: number;
  currency: string;
  updatedAt: string;
}

export interface CartView {
  items: CartLineView[];
  totalCents: number;
  currency: string;
}

export function toCartView(lines: PricedLine[], emptyCurrency: string): CartView {
  const currency = lines[0]?.currency ?? emptyCurrency;
  const items = lines.map((line) => ({
    productId: line.productId,
    name: line.name,
    unitPriceCents: line.unitPriceCents,
    quantity: line.quantity,
    lineTotalCents: line.unitPriceCents * line.quantity,
    currency: line.currency,
    updatedAt: line.changedAt.toISOString(),
  }));
  const totalCents = items.filter((item) => item.currency === currency).reduce((sum, item) => sum + item.lineTotalCents, 0);
  return { items, totalCents, currency };
}
