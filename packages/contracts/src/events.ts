/**
 * The event catalog: every event type on the bus with the schema of its `data`. Producers and
 * consumers validate against the same schema (DESIGN.md, "Events"). Add types here, never
 * change the meaning of an existing field: bump `version` and publish both while consumers move.
 */
import { Type, type Static, type TSchema } from 'typebox';

const Uuid = Type.String({ format: 'uuid' });
const Role = Type.Union([Type.Literal('user'), Type.Literal('seller'), Type.Literal('admin')]);

export const UserRegistered = Type.Object({
  userId: Uuid,
  email: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  roles: Type.Array(Role),
  registeredAt: Type.String({ format: 'date-time' }),
});

export const UserDeleted = Type.Object({ userId: Uuid, deletedAt: Type.String({ format: 'date-time' }) });

export const UserRolesChanged = Type.Object({ userId: Uuid, roles: Type.Array(Role) });

export const SessionRevoked = Type.Object({
  sessionId: Uuid,
  userId: Uuid,
  reason: Type.Union([
    Type.Literal('logout'),
    Type.Literal('logout_all'),
    Type.Literal('refresh_reused'),
    Type.Literal('password_changed'),
    Type.Literal('password_reset'),
    Type.Literal('account_deleted'),
  ]),
  /** The revocation must be remembered until this time: the session's last access token expires by then. */
  revokeUntil: Type.String({ format: 'date-time' }),
});

export const ProfileUpdated = Type.Object({
  userId: Uuid,
  username: Type.String(),
  displayName: Type.String(),
  bio: Type.String(),
  avatarUrl: Type.Union([Type.String(), Type.Null()]),
});

export const UserFollowed = Type.Object({ followerId: Uuid, followeeId: Uuid });

export const UserUnfollowed = Type.Object({ followerId: Uuid, followeeId: Uuid });

export const MediaUploaded = Type.Object({
  mediaId: Uuid,
  ownerId: Uuid,
  url: Type.String(),
  thumbnailUrl: Type.Union([Type.String(), Type.Null()]),
  contentType: Type.String(),
});

export const MediaDeleted = Type.Object({ mediaId: Uuid, ownerId: Uuid });

export const eventSchemas = {
  'user.registered': UserRegistered,
  'user.deleted': UserDeleted,
  'user.roles_changed': UserRolesChanged,
  'session.revoked': SessionRevoked,
  'profile.updated': ProfileUpdated,
  'user.followed': UserFollowed,
  'user.unfollowed': UserUnfollowed,
  'media.uploaded': MediaUploaded,
  'media.deleted': MediaDeleted,
} satisfies Record<string, TSchema>;

export type EventType = keyof typeof eventSchemas;
export type EventData<T extends EventType> = Static<(typeof eventSchemas)[T]>;
