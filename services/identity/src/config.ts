/** Identity's settings, read once from the environment and validated at start (see @agora/kit/config). */
import { Type, type Static } from 'typebox';
import { serviceConfig } from '@agora/kit/config';
import { ACCESS_TOKEN_TTL_SECONDS } from '@agora/kit/auth/access-token';

export const IdentityConfig = serviceConfig({
  PORT: Type.Integer({ minimum: 0, maximum: 65_535, default: 8081 }),
  /** Both set: an admin account is created (or promoted) at start. */
  AGORA_ADMIN_EMAIL: Type.Optional(Type.String({ pattern: '^[^@\\s]+@[^@\\s]+$', maxLength: 254 })),
  AGORA_ADMIN_PASSWORD: Type.Optional(Type.String({ minLength: 8, maxLength: 128 })),
  /** The base of the links put in mail. */
  AGORA_PUBLIC_URL: Type.String({ pattern: '^https?://', default: 'http://localhost:8080' }),
  /** Where mail goes; without it each mail is written as an .eml file under `<AGORA_DATA_DIR>/mailbox/`. */
  SMTP_URL: Type.Optional(Type.String({ pattern: '^smtps?://' })),
  MAIL_FROM: Type.String({ minLength: 3, default: 'Agora <no-reply@agora.local>' }),
  /** Verifiers accept at most the kit's lifetime, so this can only be shorter. */
  ACCESS_TOKEN_TTL_SECONDS: Type.Integer({ minimum: 30, maximum: ACCESS_TOKEN_TTL_SECONDS, default: ACCESS_TOKEN_TTL_SECONDS }),
  /** Absolute lifetime of a session (a refresh-token family), counted from sign-in. */
  REFRESH_TOKEN_TTL_DAYS: Type.Integer({ minimum: 1, maximum: 365, default: 30 }),
  /**
   * A JSON array of private Ed25519 JWKs, each with a `kid`; the last one signs. Unset: keys are
   * generated on first start, kept in the database and rotated with `src/rotate-keys.ts`.
   */
  JWT_SIGNING_KEYS: Type.Optional(Type.String({ pattern: '^\\s*\\[' })),
});

export type IdentityConfig = Static<typeof IdentityConfig>;
