/** An order as API.md shows it, and the lines its events carry. */
import type { CancelReason, PaymentMethod } from '@agora/contracts/events';
import type { OrderRow } from '../db/orders.repository.ts';
import type { OrderItem, OrderStatus, ShippingAddress } from '../db/schema.ts';

export type { OrderItem, OrderStatus, ShippingAddress };

export interface Order {
  id: string;
  userId: string;
  status: OrderStatus;
  /** Only on a cancelled order. */
  cancelReason?: CancelReason;
  items: OrderItem[];
  totalCents: number;
  currency: string;
  paymentMethod: PaymentMethod;
  shippingAddress: ShippingAddress;
  createdAt: string;
  updatedAt: string;
}

export function toOrder(row: OrderRow): Order {
  return {
    id: row.id,
    userId: row.userId,
    status: row.status,
    ...(row.cancelReason ? { cancelReason: row.cancelReason } : {}),
    items: row.items,
    totalCents: row.totalCents,
    currency: row.currency,
    paymentMethod: row.paymentMethod,
    shippingAddress: row.shippingAddress,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The lines as the saga's events carry them (prices as ordered, no names). */
export const orderLines = (row: OrderRow) =>
  row.items.map((item) => ({ productId: item.productId, quantity: item.quantity, unitPriceCents: item.unitPriceCents }));
