/** The catalog service's settings, read once from the environment and validated at start (see @agora/kit/config). */
import { Type, type Static } from 'typebox';
import { serviceConfig } from '@agora/kit/config';

export const CatalogConfig = serviceConfig({
  PORT: Type.Integer({ minimum: 0, maximum: 65_535, default: 8089 }),
  /** Where identity answers; access tokens are verified against its `/.well-known/jwks.json`. */
  IDENTITY_URL: Type.String({ pattern: '^https?://', default: 'http://127.0.0.1:8081' }),
  /** The public base of the platform (media URLs arrive absolute; kept for links built here). */
  AGORA_PUBLIC_URL: Type.String({ pattern: '^https?://', default: 'http://localhost:8080' }),
});

export type CatalogConfig = Static<typeof CatalogConfig>;
