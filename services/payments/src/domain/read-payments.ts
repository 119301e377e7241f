/**
 * Reading payments: a buyer sees their own, an admin sees everyone's. Someone else's payment is
 * 404, as if it didn't exist (API.md: private resources).
 */
import type { Principal } from '@agora/kit/auth/access-token';
import { isUuid } from '@agora/kit/ids';
import { decodeCursor, pageOf } from '@agora/kit/pagination';
import { findPayment, listPayments as selectPayments, type PaymentPosition } from '../db/payments.repository.ts';
import type { PaymentsContext } from './context.ts';
import { paymentNotFound, userFilterForbidden } from './errors.ts';
import { toPayment, type Payment } from './payment.ts';

const isAdmin = (principal: Principal): boolean => principal.roles.includes('admin');

export async function getPayment(ctx: PaymentsContext, principal: Principal, id: string): Promise<Payment> {
  const row = await findPayment(ctx.database.db, id);
  if (!row || (row.userId !== principal.userId && !isAdmin(principal))) throw paymentNotFound();
  return toPayment(row);
}

export interface ListQuery {
  limit: number;
  cursor?: string | undefined;
  orderId?: string | undefined;
  userId?: string | undefined;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Positions are `<createdAt ISO>_<id>`: any other text is not a cursor this list gave out. */
function parsePosition(position: string): PaymentPosition | undefined {
  const separator = position.indexOf('_');
  const [createdAt, id] = [position.slice(0, separator), position.slice(separator + 1)];
  if (separator < 0 || !ISO_INSTANT.test(createdAt) || !isUuid(id)) return undefined;
  const date = new Date(createdAt);
  return Number.isNaN(date.getTime()) ? undefined : { createdAt: date, id };
}

/** Newest first. A user's list is always their own; an admin's is everyone's unless filtered by userId. */
export async function listPayments(ctx: PaymentsContext, principal: Principal, query: ListQuery): Promise<{ items: Payment[]; nextCursor: string | null }> {
  if (query.userId !== undefined && query.userId !== principal.userId && !isAdmin(principal)) throw userFilterForbidden();
  const before = query.cursor === undefined ? undefined : decodeCursor(query.cursor, parsePosition);
  const userId = isAdmin(principal) ? query.userId : principal.userId;
  const rows = await selectPayments(ctx.database.db, { userId, orderId: query.orderId, before, limit: query.limit + 1 });
  const { page, nextCursor } = pageOf(rows, query.limit, (row) => `${row.createdAt.toISOString()}_${row.id}`);
  return { items: page.map(toPayment), nextCursor };
}
