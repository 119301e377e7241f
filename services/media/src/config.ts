/** The media service's settings, read once from the environment and validated at start (see @agora/kit/config). */
import { Type, type Static } from 'typebox';
import { serviceConfig } from '@agora/kit/config';

export const MediaConfig = serviceConfig({
  PORT: Type.Integer({ minimum: 0, maximum: 65_535, default: 8086 }),
  /** Where identity answers; access tokens are verified against its `/.well-known/jwks.json`. */
  IDENTITY_URL: Type.String({ pattern: '^https?://', default: 'http://127.0.0.1:8081' }),
  /** The public base of the platform: `url` and `thumbnailUrl` are built on it. */
  AGORA_PUBLIC_URL: Type.String({ pattern: '^https?://', default: 'http://localhost:8080' }),
  /**
   * Decompression-bomb guard: images whose width × height (all frames, for animations) exceeds
   * this are refused before they are decoded. 50 MP covers the cameras people actually upload from.
   */
  MEDIA_MAX_INPUT_PIXELS: Type.Integer({ minimum: 1, default: 50_000_000 }),
  /** How often bytes of media deleted by events (post.deleted, user.deleted) are removed from storage. */
  MEDIA_PURGE_INTERVAL_MS: Type.Integer({ minimum: 10, default: 1_000 }),
});

export type MediaConfig = Static<typeof MediaConfig>;
