/** The payments service's settings, read once from the environment and validated at start (see @agora/kit/config). */
import { Type, type Static } from 'typebox';
import { serviceConfig } from '@agora/kit/config';

export const PaymentsConfig = serviceConfig({
  PORT: Type.Integer({ minimum: 0, maximum: 65_535, default: 8092 }),
  /** Where identity answers; access tokens are verified against its `/.well-known/jwks.json`. */
  IDENTITY_URL: Type.String({ pattern: '^https?://', default: 'http://127.0.0.1:8081' }),
});

export type PaymentsConfig = Static<typeof PaymentsConfig>;
