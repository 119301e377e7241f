/** A payment as API.md shows it, from its stored row. */
import type { PaymentRow, PaymentStatus } from '../db/schema.ts';

export interface Payment {
  id: string;
  orderId: string;
  userId: string;
  amountCents: number;
  currency: string;
  status: PaymentStatus;
  failureReason?: 'card_declined';
  createdAt: string;
  updatedAt: string;
  refundedAt?: string;
}

export function toPayment(row: PaymentRow): Payment {
  return {
    id: row.id,
    orderId: row.orderId,
    userId: row.userId,
    amountCents: row.amountCents,
    currency: row.currency,
    status: row.status,
    ...(row.failureReason ? { failureReason: row.failureReason } : {}),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    ...(row.refundedAt ? { refundedAt: row.refundedAt.toISOString() } : {}),
  };
}

/** A payment's later change is never dated before its creation, whatever the clock says. */
export const notBefore = (now: Date, earliest: Date): Date => (now.getTime() < earliest.getTime() ? earliest : now);
