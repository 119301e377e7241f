/**
 * What the notifications suites share: the service started by the kit's harness, events published
 * as their producers would (likes, comments, follows), a wait for an event to have been handled,
 * and a reader of server-sent event streams over a real loopback connection.
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { and, eq, sql } from 'drizzle-orm';
import type { EventData, EventType } from '@agora/contracts/events';
import { createEvent } from '@agora/kit/bus/outbox';
import { processedEvents } from '@agora/kit/bus/outbox.tables';
import type { EventEnvelope } from '@agora/kit/bus/types';
import type { HttpApp } from '@agora/kit/http/app';
import { eventually, startServiceUnderTest, type GivenUser, type ServiceUnderTest } from '@agora/kit/testing/service-harness';
import type { NotificationsConfig } from '../../src/config.ts';
import { notificationsModule } from '../../src/module.ts';

export const NOTIFICATIONS = '/api/v1/notifications';

export type Service = ServiceUnderTest<NotificationsConfig>;

export async function startNotifications(env: Record<string, string> = {}): Promise<Service> {
  return startServiceUnderTest(notificationsModule, { env });
}

/** The producer of each event type the service consumes, so envelopes look as in production. */
const PRODUCERS: Partial<Record<EventType, string>> = {
  'user.registered': 'identity',
  'user.deleted': 'identity',
  'profile.updated': 'users',
  'user.followed': 'users',
  'user.unfollowed': 'users',
  'post.liked': 'likes',
  'post.unliked': 'likes',
  'comment.liked': 'likes',
  'comment.unliked': 'likes',
  'comment.created': 'comments',
  'comment.deleted': 'comments',
  'order.confirmed': 'orders',
  'order.cancelled': 'orders',
  'payment.failed': 'payments',
};

/** An event as its producer would publish it, not sent yet; `occurredAt` may be set to order it. */
export function eventOf<T extends EventType>(type: T, data: EventData<T>, occurredAt?: Date): EventEnvelope<EventData<T>> {
  const envelope = createEvent(type, data, { producer: PRODUCERS[type] ?? 'test' });
  return occurredAt ? { ...envelope, occurredAt: occurredAt.toISOString() } : envelope;
}

/** Waits until the service has handled (committed) the event. */
export async function handled(svc: Service, envelope: EventEnvelope<unknown>): Promise<void> {
  await eventually(async () => {
    const rows = await svc.database.db
      .select({ eventId: processedEvents.eventId })
      .from(processedEvents)
      .where(and(eq(processedEvents.consumer, 'notifications'), eq(processedEvents.eventId, envelope.id)));
    assert.equal(rows.length, 1, `${envelope.type} ${envelope.id} not handled yet`);
  });
}

/** Publishes the event and waits until it has been handled. */
export async function deliver(svc: Service, envelope: EventEnvelope<unknown>): Promise<EventEnvelope<unknown>> {
  await svc.redeliver(envelope);
  await handled(svc, envelope);
  return envelope;
}

/** A user (user.registered, profile.updated) whose actor summary has reached the service, so items show it at once. */
export async function givenKnownUser(svc: Service, options: { displayName?: string } = {}): Promise<GivenUser> {
  const user = await svc.given.user(options);
  await eventually(async () => {
    const { rows } = await svc.database.db.execute(sql`select 1 from authors where user_id = ${user.id} and profile_at is not null`);
    assert.equal(rows.length, 1, `no profile of ${user.id} yet`);
  });
  return user;
}

/** What the service's tables still hold about a user. */
export async function heldAbout(svc: Service, userId: string): Promise<{ notifications: number; authors: number; activity: number }> {
  const { rows } = await svc.database.db.execute(sql`select
    (select count(*) from notifications where recipient_id = ${userId} or actor_id = ${userId})::int as notifications,
    (select count(*) from authors where user_id = ${userId})::int as authors,
    (select count(*) from activity where actor_id = ${userId} or target_id = ${userId})::int as activity`);
  return rows[0] as { notifications: number; authors: number; activity: number };
}

/** The caller's inbox page, asserted 200. */
export async function inbox(svc: Service, token: string, query = ''): Promise<{ items: any[]; nextCursor: string | null }> {
  const response = await svc.request('GET', `${NOTIFICATIONS}${query ? `?${query}` : ''}`, { token });
  assert.equal(response.statusCode, 200, response.body);
  return response.json();
}

export const at = (offsetMs: number, base = Date.now()): string => new Date(base + offsetMs).toISOString();


export interface ServerSentEvent {
  id?: string;
  event?: string;
  data?: string;
  /** Comment lines (heartbeats), without the leading colon. */
  comments: string[];
}

/**
 * A client of one event stream, read with fetch as a browser's fetch-based client would. `next`
 * waits for the next event (comment-only blocks are collected in `comments`); a test's own
 * timeout bounds every wait.
 */
export class StreamClient {
  readonly response: Response;
  readonly comments: string[] = [];
  readonly #controller: AbortController;
  readonly #reader: ReadableStreamDefaultReader<string>;
  #buffer = '';
  #ended = false;

  private constructor(response: Response, controller: AbortController) {
    this.response = response;
    this.#controller = controller;
    this.#reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  }

  static async open(base: string, token: string | undefined, headers: Record<string, string> = {}): Promise<StreamClient> {
    const controller = new AbortController();
    const response = await fetch(`${base}${NOTIFICATIONS}/stream`, {
      headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      signal: controller.signal,
    });
    return new StreamClient(response, controller);
  }

  /** The next block of the stream (an event or a comment), or null at the end of the stream. */
  async #block(): Promise<ServerSentEvent | null> {
    for (;;) {
      const end = this.#buffer.indexOf('\n\n');
      if (end >= 0) {
        const block = this.#buffer.slice(0, end);
        this.#buffer = this.#buffer.slice(end + 2);
        const event: ServerSentEvent = { comments: [] };
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) event.comments.push(line.slice(1).trim());
          else {
            const colon = line.indexOf(':');
            const field = line.slice(0, colon);
            const value = line.slice(colon + 1).replace(/^ /, '');
            if (field === 'id' || field === 'event' || field === 'data') event[field] = value;
          }
        }
        return event;
      }
      if (this.#ended) return null;
      const { value, done } = await this.#reader.read();
      if (done) this.#ended = true;
      else this.#buffer += value;
    }
  }

  /** The next event carrying data; comments met on the way are kept in `comments`. */
  async next(): Promise<{ id: string; event: string; notification: any }> {
    for (;;) {
      const block = await this.#block();
      assert.ok(block, 'the stream ended');
      this.comments.push(...block.comments);
      if (block.data !== undefined) return { id: block.id!, event: block.event!, notification: JSON.parse(block.data) };
    }
  }

  /** Waits for a comment line (a heartbeat). */
  async comment(matching: RegExp): Promise<void> {
    while (!this.comments.some((comment) => matching.test(comment))) {
      const block = await this.#block();
      assert.ok(block, 'the stream ended');
      this.comments.push(...block.comments);
    }
  }

  /** Resolves when the server ends the stream; the events still unread are returned. */
  async ended(): Promise<ServerSentEvent[]> {
    const rest: ServerSentEvent[] = [];
    for (;;) {
      const block = await this.#block();
      if (!block) return rest;
      rest.push(block);
    }
  }

  close(): void {
    this.#controller.abort();
  }
}

/** Listens on a loopback port (the harness only injects) and returns the base URL. */
export async function listen(app: HttpApp): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}
