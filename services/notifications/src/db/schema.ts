/** Drizzle definitions of the tables created by ./migrations (kept in step with the SQL by hand). */
import { boolean, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const NOTIFICATION_TYPES = ['follow', 'like', 'comment', 'order', 'payment'] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

export const SUBJECT_TYPES = ['user', 'post', 'comment', 'order', 'payment'] as const;
export type SubjectType = (typeof SUBJECT_TYPES)[number];

/** What happened to an order or payment a notification is about. */
export const SUBJECT_STATUSES = ['confirmed', 'cancelled', 'failed'] as const;
export type SubjectStatus = (typeof SUBJECT_STATUSES)[number];

export const ACTIVITY_KINDS = ['follow', 'post_like', 'comment_like', 'comment'] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

export const notifications = pgTable('notifications', {
  id: uuid('id').primaryKey(),
  recipientId: uuid('recipient_id').notNull(),
  type: text('type', { enum: NOTIFICATION_TYPES }).notNull(),
  actorId: uuid('actor_id'),
  subjectType: text('subject_type', { enum: SUBJECT_TYPES }).notNull(),
  subjectId: uuid('subject_id').notNull(),
  status: text('status', { enum: SUBJECT_STATUSES }),
  eventId: uuid('event_id').notNull().unique(),
  readAt: at('read_at'),
  createdAt: at('created_at').notNull(),
});

export const authors = pgTable('authors', {
  userId: uuid('user_id').primaryKey(),
  username: text('username').notNull(),
  displayName: text('display_name').notNull(),
  avatarUrl: text('avatar_url'),
  profileAt: at('profile_at'),
});

export const erasedUsers = pgTable('erased_users', {
  userId: uuid('user_id').primaryKey(),
  erasedAt: at('erased_at').notNull(),
});

export const activity = pgTable(
  'activity',
  {
    kind: text('kind', { enum: ACTIVITY_KINDS }).notNull(),
    targetId: uuid('target_id').notNull(),
    actorId: uuid('actor_id').notNull(),
    active: boolean('active').notNull(),
    at: at('at').notNull(),
  },
  (table) => [primaryKey({ columns: [table.kind, table.targetId, table.actorId] })],
);

export type NotificationRow = typeof notifications.$inferSelect;
export type AuthorRow = typeof authors.$inferSelect;
