/** The errors of the orders service, by stable code (README, "Error codes"). */
import { errors } from '@agora/kit/errors';

export const orderNotFound = () => errors.notFound('ORDER.NOT_FOUND', 'No such order');

export const productsNotFound = (productIds: string[]) =>
  errors.notFound('ORDER.PRODUCT_NOT_FOUND', 'A product of the order does not exist or is no longer sold', { detail: `Unknown products: ${productIds.join(', ')}` });

export const currencyMismatch = (currencies: string[]) =>
  errors.conflict('ORDER.CURRENCY_MISMATCH', 'An order holds products of one currency only', { detail: `The products are priced in ${currencies.join(', ')}` });

export const cartEmpty = () => errors.badRequest('ORDER.CART_EMPTY', 'The cart is empty: add products to it or name the items of the order');

export const cartUnavailable = (cause?: unknown) =>
  errors.unavailable('ORDER.CART_UNAVAILABLE', 'The cart could not be read; try again', { cause, headers: { 'retry-after': '1' } });

export const notCancellable = () => errors.conflict('ORDER.NOT_CANCELLABLE', 'The order is already cancelled');

export const idempotencyKeyRequired = () =>
  errors.badRequest('ORDER.IDEMPOTENCY_KEY_REQUIRED', 'Send an Idempotency-Key header (1–255 characters) with every new order');

export const idempotencyKeyTooLong = () => errors.badRequest('ORDER.IDEMPOTENCY_KEY_INVALID', 'An Idempotency-Key is at most 255 characters');

export const idempotencyKeyReused = () =>
  errors.unprocessable('ORDER.IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used with another request; use a new key for a new order');

export const idempotencyKeyInUse = () =>
  errors.conflict('ORDER.IDEMPOTENCY_KEY_IN_USE', 'A request with this Idempotency-Key is still being processed; retry shortly', { headers: { 'retry-after': '1' } });

export const listOfOthersForbidden = () => errors.forbidden('AUTH.FORBIDDEN', 'Only an admin may list the orders of other users');
