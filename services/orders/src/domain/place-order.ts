/**
 * Placing an order (saga step 1): the lines come from the body or, without `items`, from the
 * buyer's cart; names and prices come from this service's projection of the catalog, never from
 * the client. The order is created pending and order.created written to the outbox in one
 * transaction, which also stores the response on the request's Idempotency-Key (./idempotency.ts).
 *
 * What the key keeps: the 201 and its order, and a refusal the request itself deserved (unknown
 * product, mixed currencies, empty cart), replayed as they were. An outage (the cart
 * unreachable, anything unexpected) releases the key instead, so the client's retry does the
 * work.
 */
import type { PaymentMethod } from '@agora/contracts/events';
import type { Tx } from '@agora/kit/db/database';
import { AppError, errors, isAppError, type FieldError } from '@agora/kit/errors';
import { newId } from '@agora/kit/ids';
import { holdClaim, releaseClaim, storeResponse, type Claim } from '../db/idempotency-keys.repository.ts';
import { insertOrder } from '../db/orders.repository.ts';
import { findProducts } from '../db/products.repository.ts';
import type { CartLine } from '../clients/cart.client.ts';
import type { EventMeta, OrdersContext } from './context.ts';
import { cartEmpty, currencyMismatch, idempotencyKeyInUse, productsNotFound } from './errors.ts';
import { emit } from './events.ts';
import { claimKey, fingerprintOf } from './idempotency.ts';
import { orderLines, toOrder, type Order, type OrderItem, type ShippingAddress } from './order.ts';

export interface PlaceOrderInput {
  shippingAddress: ShippingAddress;
  paymentMethod: PaymentMethod;
  items?: CartLine[] | undefined;
}

export interface Buyer {
  userId: string;
  /** The request's Authorization header, forwarded to cart to read this buyer's cart. */
  authorization: string | undefined;
}

/** Always a 201: a stored refusal is raised again instead. */
export interface PlacedOrder {
  order: Order;
  replayed: boolean;
}

/** A refusal kept on an Idempotency-Key: enough to raise the same problem again. */
interface StoredProblem {
  code: string;
  title: string;
  detail?: string;
  errors?: FieldError[];
}

const REPLAYED = { 'idempotent-replayed': 'true' };

/** Two lines of one product are a client mistake (one line, a larger quantity); refused before the key is claimed. */
function refuseRepeatedProducts(items: CartLine[]): void {
  const seen = new Set<string>();
  const repeated: FieldError[] = [];
  items.forEach((item, index) => {
    if (seen.has(item.productId)) repeated.push({ path: `body/items/${index}/productId`, message: 'repeats the product of an earlier line' });
    seen.add(item.productId);
  });
  if (repeated.length > 0) throw errors.badRequest('VALIDATION.FAILED', 'The request is invalid', { errors: repeated });
}

export async function placeOrder(ctx: OrdersContext, buyer: Buyer, idempotencyKey: string, input: PlaceOrderInput, meta: EventMeta): Promise<PlacedOrder> {
  if (input.items) refuseRepeatedProducts(input.items);

  const outcome = await claimKey(ctx, buyer.userId, idempotencyKey, fingerprintOf(input));
  if (outcome.kind === 'replay') {
    const { status, body } = outcome.response;
    if (status >= 400) {
      const problem = body as StoredProblem;
      throw new AppError(status, problem.code, problem.title, { detail: problem.detail, errors: problem.errors, headers: REPLAYED });
    }
    return { order: body as Order, replayed: true };
  }

  const { claim } = outcome;
  try {
    const lines = input.items ?? (await ctx.cart.readLines(buyer.authorization));
    if (lines.length === 0) throw cartEmpty();
    const order = await ctx.database.transaction((tx) => createOrder(ctx, tx, claim, { ...input, lines, fromCart: !input.items }, meta));
    return { order, replayed: false };
  } catch (error) {
    await settleClaimAfter(ctx, claim, error);
    throw error;
  }
}

async function createOrder(
  ctx: OrdersContext,
  tx: Tx,
  claim: Claim,
  input: PlaceOrderInput & { lines: CartLine[]; fromCart: boolean },
  meta: EventMeta,
): Promise<Order> {
  // Another request took the key over (this one outlived IDEMPOTENCY_CLAIM_TIMEOUT_MS): it answers.
  if (!(await holdClaim(tx, claim))) throw idempotencyKeyInUse();

  const { items, currency } = await priceLines(tx, input.lines);
  const now = ctx.clock.now();
  const row = await insertOrder(tx, {
    id: newId(),
    userId: claim.userId,
    status: 'pending',
    items,
    totalCents: items.reduce((sum, item) => sum + item.unitPriceCents * item.quantity, 0),
    currency,
    paymentMethod: input.paymentMethod,
    shippingAddress: input.shippingAddress,
    fromCart: input.fromCart,
    createdAt: now,
    updatedAt: now,
  });
  await emit(
    tx,
    'order.created',
    {
      orderId: row.id,
      userId: row.userId,
      items: orderLines(row),
      totalCents: row.totalCents,
      currency: row.currency,
      paymentMethod: row.paymentMethod,
      fromCart: row.fromCart,
      createdAt: now.toISOString(),
    },
    meta,
  );
  const order = toOrder(row);
  await storeResponse(tx, claim, { status: 201, body: order });
  return order;
}

/** Names and prices of the lines from the projection; refuses unknown or deleted products and mixed currencies. */
async function priceLines(tx: Tx, lines: CartLine[]): Promise<{ items: OrderItem[]; currency: string }> {
  const products = await findProducts(tx, lines.map((line) => line.productId));
  const unknown = lines.filter((line) => {
    const product = products.get(line.productId);
    return !product || product.deletedAt !== null || product.name === null;
  });
  if (unknown.length > 0) throw productsNotFound(unknown.map((line) => line.productId));

  const currencies = [...new Set(lines.map((line) => products.get(line.productId)!.currency!))];
  if (currencies.length > 1) throw currencyMismatch(currencies);
  const items = lines.map((line) => {
    const product = products.get(line.productId)!;
    return { productId: line.productId, name: product.name!, unitPriceCents: product.priceCents!, quantity: line.quantity };
  });
  return { items, currency: currencies[0]! };
}

/** After a failed attempt: keep a refusal the request deserved on its key, give the key up otherwise. */
async function settleClaimAfter(ctx: OrdersContext, claim: Claim, error: unknown): Promise<void> {
  try {
    if (isAppError(error) && error.status < 500 && error.code !== 'ORDER.IDEMPOTENCY_KEY_IN_USE') {
      const problem: StoredProblem = { code: error.code, title: error.message, ...(error.detail ? { detail: error.detail } : {}), ...(error.errors ? { errors: error.errors } : {}) };
      await ctx.database.transaction((tx) => storeResponse(tx, claim, { status: error.status, body: problem }));
    } else {
      await releaseClaim(ctx.database.db, claim);
    }
  } catch (settleError) {
    // The key stays in flight and is taken over after IDEMPOTENCY_CLAIM_TIMEOUT_MS.
    ctx.logger.error({ err: settleError }, 'could not settle an Idempotency-Key after a failed order');
  }
}
