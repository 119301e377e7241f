/** The orders service's settings, read once from the environment and validated at start (see @agora/kit/config). */
import { Type, type Static } from 'typebox';
import { serviceConfig } from '@agora/kit/config';

const Millis = (minimum: number, fallback: number, description: string) => Type.Integer({ minimum, default: fallback, description });

export const OrdersConfig = serviceConfig({
  PORT: Type.Integer({ minimum: 0, maximum: 65_535, default: 8091 }),
  /** Where identity answers; access tokens are verified against its `/.well-known/jwks.json`. */
  IDENTITY_URL: Type.String({ pattern: '^https?://', default: 'http://127.0.0.1:8081' }),
  /** Where the cart service answers: an order without `items` is made of the buyer's cart. */
  CART_URL: Type.String({ pattern: '^https?://', default: 'http://127.0.0.1:8090' }),
  CART_TIMEOUT_MS: Millis(1, 2_000, 'How long reading the cart may take before the order is refused with 503'),
  ORDER_PENDING_TIMEOUT_MS: Millis(1, 30_000, 'A pending order older than this is cancelled as timed_out'),
  ORDER_SWEEP_INTERVAL_MS: Millis(10, 1_000, 'How often pending orders are checked for the timeout'),
  IDEMPOTENCY_CLAIM_TIMEOUT_MS: Millis(1, 60_000, 'An Idempotency-Key in flight longer than this was abandoned (a crash) and may be taken over'),
  IDEMPOTENCY_KEY_TTL_MS: Millis(1, 24 * 60 * 60 * 1_000, 'How long an Idempotency-Key and its stored response are kept'),
  IDEMPOTENCY_PURGE_INTERVAL_MS: Millis(10, 60_000, 'How often expired Idempotency-Keys are deleted'),
});

export type OrdersConfig = Static<typeof OrdersConfig>;
