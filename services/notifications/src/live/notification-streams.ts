/**
 * Server-sent event streams of new notifications (https://html.spec.whatwg.org/multipage/server-sent-events.html).
 * A stream subscribes to the user's live notifications first, then replays what the client
 * missed since its Last-Event-ID, then goes live, so nothing committed in between falls through
 * a gap (a notification both replayed and pushed is sent once). Each heartbeat is a comment line
 * and also asks whether the stream may go on (session not revoked, token not expired). Streams
 * end when the client goes away, and all of them when the app closes.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { errors } from '@agora/kit/errors';
import type { Logger } from '@agora/kit/logger';
import type { Notification } from '../domain/notifications.ts';
import type { NotificationHub } from './notification-hub.ts';

export interface StreamRequest {
  userId: string;
  /** What the client missed, oldest first; called after the live subscription is in place. */
  replay(): Promise<Notification[]>;
  /** Asked at each heartbeat; false ends the stream. */
  mayContinue(): Promise<boolean>;
}

export interface NotificationStreams {
  /** Answers `reply` with an event stream that lasts until the client leaves or the app closes. */
  serve(request: FastifyRequest, reply: FastifyReply, stream: StreamRequest): Promise<void>;
  /** Ends every open stream and waits until each has let go of its subscription. */
  closeAll(): Promise<void>;
  /** How many streams are open (the notification_streams_open metric). */
  count(): number;
}

/** A client that reads slower than this much is queued for is cut off; it reconnects with Last-Event-ID. */
const MAX_BUFFERED_BYTES = 1024 * 1024;

const frame = (notification: Notification): string => `id: ${notification.id}\nevent: notification\ndata: ${JSON.stringify(notification)}\n\n`;

export function createNotificationStreams(options: { hub: NotificationHub; heartbeatMs: number; logger: Logger }): NotificationStreams {
  const { hub, heartbeatMs, logger } = options;
  const open = new Set<() => Promise<void>>();
  let closing = false;
  const shuttingDown = () => errors.unavailable('NOTIFICATIONS.SHUTTING_DOWN', 'The service is shutting down');

  return {
    async serve(request, reply, stream) {
      if (closing) throw shuttingDown();
      // Until the replay is written, live notifications wait in `early`; after release they are dropped.
      const early: Notification[] = [];
      let send: (notification: Notification) => void = (notification) => early.push(notification);
      let unsubscribe: () => Promise<void>;
      try {
        unsubscribe = await hub.subscribe(stream.userId, (notification) => send(notification));
      } catch (error) {
        throw errors.unavailable('NOTIFICATIONS.STREAM_UNAVAILABLE', 'Live notifications are unavailable', { cause: error });
      }
      let missed: Notification[];
      try {
        missed = await stream.replay();
        if (closing) throw shuttingDown();
      } catch (error) {
        await unsubscribe();
        throw error;
      }

      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        ...(reply.getHeaders() as Record<string, string>),
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        'x-accel-buffering': 'no',
      });

      const sent = new Set(missed.map((notification) => notification.id));
      const write = (text: string): void => {
        if (res.writableEnded || res.destroyed) return;
        res.write(text);
        if (res.writableLength > MAX_BUFFERED_BYTES) res.destroy();
      };
      write(': live\n\n');
      for (const notification of missed) write(frame(notification));
      send = (notification) => {
        if (!sent.has(notification.id)) write(frame(notification));
      };
      for (const notification of early.splice(0)) send(notification);

      let released: Promise<void> | undefined;
      const release = (): Promise<void> => {
        released ??= (async () => {
          clearInterval(heartbeat);
          send = () => undefined;
          open.delete(end);
          await unsubscribe();
        })();
        return released;
      };
      function end(): Promise<void> {
        if (!res.writableEnded) res.end();
        return release();
      }
      const heartbeat = setInterval(() => {
        stream.mayContinue().then(
          (allowed) => (allowed ? write(': heartbeat\n\n') : void end()),
          (error: unknown) => logger.warn({ err: error }, 'could not check whether an event stream may go on; kept open'),
        );
      }, heartbeatMs);
      heartbeat.unref();

      open.add(end);
      res.once('close', () => void release());
      // The client may have gone while the replay was read, before the listener above existed.
      if (res.destroyed || request.raw.socket.destroyed) void release();
    },

    async closeAll() {
      closing = true;
      await Promise.all([...open].map((end) => end()));
    },

    count: () => open.size,
  };
}
