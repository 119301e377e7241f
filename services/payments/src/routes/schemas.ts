/** The shapes of API.md's payment routes; responses name every field they may carry. */
import { Type } from 'typebox';
import { PageQuery, StrictObject, Timestamp, Uuid } from '@agora/kit/http/schemas';

export const Payment = Type.Object(
  {
    id: Uuid,
    orderId: Uuid,
    userId: Uuid,
    amountCents: Type.Integer({ minimum: 0, description: 'Minor units of `currency`' }),
    currency: Type.String({ minLength: 3, maxLength: 3, description: 'ISO 4217 code' }),
    status: Type.Union([Type.Literal('succeeded'), Type.Literal('failed'), Type.Literal('refunded')]),
    failureReason: Type.Optional(Type.Literal('card_declined', { description: 'Only on a failed payment' })),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    refundedAt: Type.Optional(Timestamp),
  },
  { title: 'Payment', description: 'refundedAt only on a refunded payment; failureReason only on a failed one' },
);

export const PaymentListQuery = StrictObject({
  ...PageQuery.properties,
  orderId: Type.Optional(Uuid),
  userId: Type.Optional(Type.String({ format: 'uuid', description: 'Admins only (anyone may give their own id)' })),
});
