/** The cart service's settings, read once from the environment and validated at start (see @agora/kit/config). */
import { Type, type Static } from 'typebox';
import { serviceConfig } from '@agora/kit/config';

export const CartConfig = serviceConfig({
  PORT: Type.Integer({ minimum: 0, maximum: 65_535, default: 8090 }),
  /** Where identity answers; access tokens are verified against its `/.well-known/jwks.json`. */
  IDENTITY_URL: Type.String({ pattern: '^https?://', default: 'http://127.0.0.1:8081' }),
  /** The currency an empty cart reports (a cart with lines reports theirs). */
  CART_DEFAULT_CURRENCY: Type.String({ pattern: '^[A-Z]{3}$', default: 'USD' }),
});

export type CartConfig = Static<typeof CartConfig>;
