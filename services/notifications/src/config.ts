/** The notifications service's settings, read once from the environment and validated at start (see @agora/kit/config). */
import { Type, type Static } from 'typebox';
import { serviceConfig } from '@agora/kit/config';

export const NotificationsConfig = serviceConfig({
  PORT: Type.Integer({ minimum: 0, maximum: 65_535, default: 8087 }),
  /** Where identity answers; access tokens are verified against its `/.well-known/jwks.json`. */
  IDENTITY_URL: Type.String({ pattern: '^https?://', default: 'http://127.0.0.1:8081' }),
  /** The public base of the platform (kept for links built here, as every service has it). */
  AGORA_PUBLIC_URL: Type.String({ pattern: '^https?://', default: 'http://localhost:8080' }),
  /**
   * How often an open event stream gets a comment line, so proxies and load balancers don't
   * close it as idle; each heartbeat also ends a stream whose session was revoked or whose
   * access token expired.
   */
  STREAM_HEARTBEAT_MS: Type.Integer({ minimum: 50, maximum: 300_000, default: 15_000 }),
  /** The most notifications a reconnecting stream replays after its `Last-Event-ID` (the newest ones). */
  STREAM_REPLAY_LIMIT: Type.Integer({ minimum: 1, maximum: 1_000, default: 100 }),
});

export type NotificationsConfig = Static<typeof NotificationsConfig>;
