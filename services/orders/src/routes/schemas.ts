/** The request and response shapes of API.md's orders routes; responses name every field they may carry. */
import { Type } from 'typebox';
import { CancelReason, PaymentMethod } from '@agora/contracts/events';
import { StrictObject, Timestamp, Uuid } from '@agora/kit/http/schemas';

/** Not only white space; no NUL and no unpaired surrogate (not text PostgreSQL can store). */
const Text = (maxLength: number, description?: string) =>
  Type.String({ minLength: 1, maxLength, pattern: '^(?=[\\s\\S]*\\S)[^\\u0000\\uD800-\\uDFFF]*$', ...(description ? { description } : {}) });

export const ShippingAddress = StrictObject(
  {
    name: Text(200, 'Who receives the parcel'),
    line1: Text(200),
    line2: Type.Optional(Text(200)),
    city: Text(100),
    postalCode: Text(20),
    country: Text(100),
  },
  { title: 'ShippingAddress' },
);

export const OrderLineInput = StrictObject({
  productId: Uuid,
  quantity: Type.Integer({ minimum: 1, maximum: 99 }),
});

export const PlaceOrderBody = StrictObject({
  shippingAddress: ShippingAddress,
  paymentMethod: PaymentMethod,
  items: Type.Optional(
    Type.Array(OrderLineInput, {
      minItems: 1,
      maxItems: 50,
      description: '1–50 lines, one per product; without it the order is made of the buyer’s cart. Prices come from the catalog, never from here.',
    }),
  ),
});

export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.String({
    minLength: 1,
    maxLength: 255,
    description: 'Required. The same key with the same body replays the first response (header `Idempotent-Replayed: true`); with another body 422; while the first is in flight 409. Kept 24 h, per user.',
  }),
});

export const OrderItem = Type.Object(
  {
    productId: Uuid,
    name: Type.String({ description: 'As the catalog named it when the order was placed' }),
    unitPriceCents: Type.Integer({ minimum: 0, description: 'As the catalog priced it when the order was placed' }),
    quantity: Type.Integer({ minimum: 1 }),
  },
  { title: 'OrderItem' },
);

export const Order = Type.Object(
  {
    id: Uuid,
    userId: Uuid,
    status: Type.Union([Type.Literal('pending'), Type.Literal('confirmed'), Type.Literal('cancelled')]),
    cancelReason: Type.Optional({ ...CancelReason, description: 'Only on a cancelled order' }),
    items: Type.Array(OrderItem),
    totalCents: Type.Integer({ minimum: 0 }),
    currency: Type.String({ description: 'ISO 4217, upper case' }),
    paymentMethod: PaymentMethod,
    shippingAddress: ShippingAddress,
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { title: 'Order' },
);

export const OrdersQuery = StrictObject({
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
  cursor: Type.Optional(Type.String({ maxLength: 512, description: 'nextCursor of the previous page' })),
  userId: Type.Optional({ ...Uuid, description: 'Admins only: one user’s orders (others may name only themselves)' }),
});
