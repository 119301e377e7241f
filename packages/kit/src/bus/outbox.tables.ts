/** Drizzle definitions of the tables created by ./migrations (kept in step with the SQL by hand). */
import { integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { EventEnvelope, MessageHeaders } from './types.ts';

export const outbox = pgTable('outbox', {
  id: uuid('id').primaryKey(),
  type: text('type').notNull(),
  envelope: jsonb('envelope').$type<EventEnvelope>().notNull(),
  headers: jsonb('headers').$type<MessageHeaders>().notNull().default({}),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  publishedAt: timestamp('published_at', { withTimezone: true }),
  attempts: integer('attempts').notNull().default(0),
  claimedUntil: timestamp('claimed_until', { withTimezone: true }),
  lastError: text('last_error'),
});

export const processedEvents = pgTable(
  'processed_events',
  {
    consumer: text('consumer').notNull(),
    eventId: uuid('event_id').notNull(),
    processedAt: timestamp('processed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.consumer, table.eventId] })],
);
