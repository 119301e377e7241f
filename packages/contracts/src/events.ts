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

const Timestamp = Type.String({ format: 'date-time' });

/** A post as its followers' feeds, search and the services that hang things on posts need it. */
export const PostCreated = Type.Object({
  postId: Uuid,
  authorId: Uuid,
  text: Type.String(),
  mediaIds: Type.Array(Uuid),
  createdAt: Timestamp,
});

export const PostUpdated = Type.Object({ postId: Uuid, authorId: Uuid, text: Type.String(), updatedAt: Timestamp });

/** `mediaIds` are the post's media, which go with it. */
export const PostDeleted = Type.Object({ postId: Uuid, authorId: Uuid, mediaIds: Type.Array(Uuid), deletedAt: Timestamp });

/** `postAuthorId` lets notifications tell the post's author without asking posts. */
export const CommentCreated = Type.Object({
  commentId: Uuid,
  postId: Uuid,
  postAuthorId: Uuid,
  authorId: Uuid,
  text: Type.String(),
  createdAt: Timestamp,
});

export const CommentDeleted = Type.Object({ commentId: Uuid, postId: Uuid, authorId: Uuid, deletedAt: Timestamp });

/**
 * Likes can be taken back and given again, and events may arrive out of order: `at` orders the
 * changes of one (post or comment, user) pair, and a consumer applies a change only when it is
 * newer than the last one it applied for that pair.
 */
export const PostLiked = Type.Object({ postId: Uuid, postAuthorId: Uuid, userId: Uuid, at: Timestamp });

export const PostUnliked = Type.Object({ postId: Uuid, postAuthorId: Uuid, userId: Uuid, at: Timestamp });

export const CommentLiked = Type.Object({ commentId: Uuid, commentAuthorId: Uuid, postId: Uuid, userId: Uuid, at: Timestamp });

export const CommentUnliked = Type.Object({ commentId: Uuid, commentAuthorId: Uuid, postId: Uuid, userId: Uuid, at: Timestamp });

/** A product as search and the cart need it; product.created and product.updated carry all of it. */
export const ProductChanged = Type.Object({
  productId: Uuid,
  sellerId: Uuid,
  name: Type.String(),
  description: Type.String(),
  priceCents: Type.Integer({ minimum: 0 }),
  currency: Type.String({ minLength: 3, maxLength: 3 }),
  categoryId: Type.Union([Uuid, Type.Null()]),
  updatedAt: Timestamp,
});

export const ProductDeleted = Type.Object({ productId: Uuid, sellerId: Uuid, deletedAt: Timestamp });

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
  'post.created': PostCreated,
  'post.updated': PostUpdated,
  'post.deleted': PostDeleted,
  'comment.created': CommentCreated,
  'comment.deleted': CommentDeleted,
  'post.liked': PostLiked,
  'post.unliked': PostUnliked,
  'comment.liked': CommentLiked,
  'comment.unliked': CommentUnliked,
  'product.created': ProductChanged,
  'product.updated': ProductChanged,
  'product.deleted': ProductDeleted,
} satisfies Record<string, TSchema>;

export type EventType = keyof typeof eventSchemas;
export type EventData<T extends EventType> = Static<(typeof eventSchemas)[T]>;
