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

  // Where the bytes live. Setting S3_BUCKET selects S3-compatible object storage; without it they
  // are files under AGORA_DATA_DIR/media. Each key is checked here on its own; the rules between
  // keys (the others need S3_BUCKET, access key and secret go together) and the defaults that
  // depend on another key are in src/storage/open-media-storage.ts, which runs at start too.
  /** S3's bucket naming rules (3–63 lowercase letters, digits, `.` and `-`), which compatible servers share. */
  S3_BUCKET: Type.Optional(Type.String({ pattern: '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$' })),
  /** A compatible server (MinIO, Ceph RGW, s3rver…); without it, AWS's endpoint for S3_REGION. */
  S3_ENDPOINT: Type.Optional(Type.String({ pattern: '^https?://[^/?#]+' })),
  /** Defaults to us-east-1, which is also what most self-hosted servers answer to. */
  S3_REGION: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9][\\w-]{0,63}$' })),
  /** Static credentials, both or neither; without them the AWS SDK's default chain is used. */
  S3_ACCESS_KEY_ID: Type.Optional(Type.String({ minLength: 1 })),
  S3_SECRET_ACCESS_KEY: Type.Optional(Type.String({ minLength: 1 })),
  /** Bucket in the path, not the host name; defaults to true with S3_ENDPOINT (self-hosted servers rarely have per-bucket DNS). */
  S3_FORCE_PATH_STYLE: Type.Optional(Type.Boolean()),
  /** A key prefix (`agora/media` → `agora/media/images/<id>`), so deployments can share a bucket. */
  S3_PREFIX: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9][\\w.-]*(/[A-Za-z0-9][\\w.-]*)*/?$', maxLength: 256 })),
});

export type MediaConfig = Static<typeof MediaConfig>;
