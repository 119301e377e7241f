/** The request and response shapes of API.md's notifications section; responses name every field they may carry. */
import { Type } from 'typebox';
import { PageQuery, StrictObject, Timestamp, Uuid } from '@agora/kit/http/schemas';

const NotificationType = Type.Union([Type.Literal('follow'), Type.Literal('like'), Type.Literal('comment'), Type.Literal('order'), Type.Literal('payment')]);
const SubjectType = Type.Union([Type.Literal('user'), Type.Literal('post'), Type.Literal('comment'), Type.Literal('order'), Type.Literal('payment')]);

export const ActorSummary = Type.Object(
  {
    id: Uuid,
    username: Type.String(),
    displayName: Type.String(),
    avatarUrl: Type.Union([Type.String(), Type.Null()], { description: 'The avatar’s thumbnail (or the image itself); null without one' }),
  },
  { title: 'NotificationActor' },
);

export const Notification = Type.Object(
  {
    id: Uuid,
    type: NotificationType,
    actor: Type.Optional(ActorSummary),
    subject: Type.Object({ type: SubjectType, id: Uuid }, { description: 'What it is about: the follower, the liked post or comment, the new comment, the order or payment' }),
    status: Type.Optional(
      Type.Union([Type.Literal('confirmed'), Type.Literal('cancelled'), Type.Literal('failed')], {
        description: 'Order and payment notifications only: the order was confirmed or cancelled, the payment failed',
      }),
    ),
    read: Type.Boolean(),
    createdAt: Timestamp,
  },
  {
    title: 'Notification',
    description: 'actor is absent for order and payment notifications, and for a moment when the actor’s profile has not reached this service yet',
  },
);

export const ListQuery = StrictObject({
  ...PageQuery.properties,
  unread: Type.Optional(Type.Boolean({ description: 'true: only unread notifications' })),
});

export const MarkReadBody = StrictObject(
  { ids: Type.Optional(Type.Array(Uuid, { maxItems: 100, description: 'Which to mark read; ids that are not yours are ignored' })) },
  { description: 'Without ids (or without a body), every notification of yours is marked read' },
);

/** Last-Event-ID as the client's EventSource sends it back: the id of the last event it received. */
export const StreamHeaders = Type.Object({
  'last-event-id': Type.Optional(Type.String({ format: 'uuid', description: 'Replays your notifications newer than this one before going live' })),
});

export const EventStream = Type.String({
  description:
    'text/event-stream: per new notification `id: <notification id>`, `event: notification`, `data: <Notification JSON>`; comment lines as heartbeats',
});

/** Statuses every route with a JSON body can answer besides its own: invalid, bad token, too large, not JSON. */
export const BODY_PROBLEMS = [400, 401, 413, 415] as const;
