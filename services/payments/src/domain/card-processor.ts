/**
 * The card processor as payments sees it: charge a payment method, refund a charge. Both take an
 * idempotency key, as real processors do (Stripe's `Idempotency-Key`): the charge runs inside the
 * transaction that records it, so a crash or rollback after the processor answered leads to a
 * retry with the same key, which returns the first outcome instead of charging twice.
 */
import type { PaymentMethod } from '@agora/contracts/events';

export type ChargeOutcome = { outcome: 'approved'; reference: string } | { outcome: 'declined'; reason: 'card_declined' };

export interface ChargeRequest {
  method: PaymentMethod;
  amountCents: number;
  currency: string;
  idempotencyKey: string;
}

export interface RefundRequest {
  /** The approved charge's reference. */
  chargeReference: string;
  amountCents: number;
  currency: string;
  idempotencyKey: string;
}

export interface CardProcessor {
  charge(request: ChargeRequest): Promise<ChargeOutcome>;
  refund(request: RefundRequest): Promise<{ reference: string }>;
}
