/** The request and response shapes of API.md's cart routes; responses name every field they may carry. */
import { Type } from 'typebox';
import { StrictObject, Timestamp, Uuid } from '@agora/kit/http/schemas';

export const ProductParams = StrictObject({ productId: Uuid });

/** The cart routes take no query parameters; an unknown one is 400 like an unknown body property. */
export const NoQuery = StrictObject({});

export const QuantityBody = StrictObject({
  quantity: Type.Integer({ minimum: 1, maximum: 99, description: 'The quantity the line should have (not an increment)' }),
});

const Currency = Type.String({ minLength: 3, maxLength: 3, description: 'ISO 4217 code' });

export const CartLine = Type.Object(
  {
    productId: Uuid,
    name: Type.String(),
    unitPriceCents: Type.Integer({ minimum: 0, description: 'The product’s current price, in minor units' }),
    quantity: Type.Integer({ minimum: 1, maximum: 99 }),
    lineTotalCents: Type.Integer({ minimum: 0 }),
    currency: Currency,
    updatedAt: { ...Timestamp, description: 'The line’s last change by its owner' },
  },
  { title: 'CartLine' },
);

export const Cart = Type.Object(
  {
    items: Type.Array(CartLine, { description: 'Oldest line first' }),
    totalCents: Type.Integer({ minimum: 0, description: 'The sum of the lines in the cart’s currency' }),
    currency: { ...Currency, description: 'The currency of the cart’s lines; for an empty cart the configured default (USD)' },
  },
  { title: 'Cart' },
);
