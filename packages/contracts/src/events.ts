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

/**
 * The checkout saga (DESIGN.md, "Checkout saga"). Every event names its order, and every
 * handler is idempotent per order: at-least-once, unordered delivery is the normal case.
 */
const Currency = Type.String({ minLength: 3, maxLength: 3, pattern: '^[A-Z]{3}$' });
const Cents = Type.Integer({ minimum: 0 });

/** The payment methods the simulated processor knows: `pm_card_ok` succeeds, `pm_card_declined` declines. */
export const PaymentMethod = Type.Union([Type.Literal('pm_card_ok'), Type.Literal('pm_card_declined')]);
export type PaymentMethod = Static<typeof PaymentMethod>;

/** A line of an order at the price the order was made at (from the catalog, never the client). */
export const OrderLine = Type.Object({
  productId: Uuid,
  quantity: Type.Integer({ minimum: 1 }),
  unitPriceCents: Cents,
});

export const CancelReason = Type.Union([
  Type.Literal('out_of_stock'),
  Type.Literal('payment_declined'),
  Type.Literal('cancelled_by_user'),
  /** A step of the saga did not answer in time; the order is cancelled and everything released. */
  Type.Literal('timed_out'),
]);
export type CancelReason = Static<typeof CancelReason>;

/**
 * A new pending order: catalog reserves its lines. `paymentMethod` rides along the saga (catalog
 * copies it into stock.reserved) so payments can charge without asking orders.
 */
export const OrderCreated = Type.Object({
  orderId: Uuid,
  userId: Uuid,
  items: Type.Array(OrderLine, { minItems: 1 }),
  totalCents: Cents,
  currency: Currency,
  paymentMethod: PaymentMethod,
  /** Whether the lines came from the buyer's cart, which is emptied of them once confirmed. */
  fromCart: Type.Boolean(),
  createdAt: Timestamp,
});

/** Paid for and final: catalog turns the reservation into sales, the cart drops what was bought. */
export const OrderConfirmed = Type.Object({
  orderId: Uuid,
  userId: Uuid,
  items: Type.Array(OrderLine, { minItems: 1 }),
  totalCents: Cents,
  currency: Currency,
  fromCart: Type.Boolean(),
  /** When the order was placed: the cart drops lines not changed since then. */
  createdAt: Timestamp,
  confirmedAt: Timestamp,
});

/**
 * The order is over: catalog releases the reservation (or restocks what was sold), payments
 * refunds a charge (or, if it comes first, never makes one).
 */
export const OrderCancelled = Type.Object({
  orderId: Uuid,
  userId: Uuid,
  items: Type.Array(OrderLine, { minItems: 1 }),
  reason: CancelReason,
  cancelledAt: Timestamp,
});

/** Stock for every line of the order is held; payments charges `totalCents` with `paymentMethod`. */
export const StockReserved = Type.Object({
  orderId: Uuid,
  userId: Uuid,
  totalCents: Cents,
  currency: Currency,
  paymentMethod: PaymentMethod,
  reservedAt: Timestamp,
});

/** Nothing was reserved: a product lacked stock or is gone. */
export const StockRejected = Type.Object({
  orderId: Uuid,
  userId: Uuid,
  reason: Type.Union([Type.Literal('out_of_stock'), Type.Literal('product_unavailable')]),
  productIds: Type.Array(Uuid),
  rejectedAt: Timestamp,
});

/** A reservation (or, for a cancelled confirmed order, a sale) went back on the shelf. */
export const StockReleased = Type.Object({
  orderId: Uuid,
  userId: Uuid,
  items: Type.Array(OrderLine),
  releasedAt: Timestamp,
});

export const PaymentSucceeded = Type.Object({
  paymentId: Uuid,
  orderId: Uuid,
  userId: Uuid,
  amountCents: Cents,
  currency: Currency,
  succeededAt: Timestamp,
});

export const PaymentFailed = Type.Object({
  paymentId: Uuid,
  orderId: Uuid,
  userId: Uuid,
  amountCents: Cents,
  currency: Currency,
  reason: Type.Literal('card_declined'),
  failedAt: Timestamp,
});

export const PaymentRefunded = Type.Object({
  paymentId: Uuid,
  orderId: Uuid,
  userId: Uuid,
  amountCents: Cents,
  currency: Currency,
  refundedAt: Timestamp,
});

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
  'order.created': OrderCreated,
  'order.confirmed': OrderConfirmed,
  'order.cancelled': OrderCancelled,
  'stock.reserved': StockReserved,
  'stock.rejected': StockRejected,
  'stock.released': StockReleased,
  'payment.succeeded': PaymentSucceeded,
  'payment.failed': PaymentFailed,
  'payment.refunded': PaymentRefunded,
} satisfies Record<string, TSchema>;

export type EventType = keyof typeof eventSchemas;
export type EventData<T extends EventType> = Static<(typeof eventSchemas)[T]>;
