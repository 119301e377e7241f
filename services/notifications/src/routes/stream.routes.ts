/** The live stream: /api/v1/notifications/stream (server-sent events). */
import type { FastifyRequest } from 'fastify';
import type { HttpApp } from '@agora/kit/http/app';
import { bearerSecurity, bearerToken, principalOf, requireUser } from '@agora/kit/http/auth';
import { problems, StrictObject } from '@agora/kit/http/schemas';
import type { RevocationList } from '@agora/kit/store/revocation';
import type { NotificationsContext } from '../domain/context.ts';
import { listNotificationsSince } from '../domain/list-notifications.ts';
import type { NotificationStreams } from '../live/notification-streams.ts';
import { EventStream, StreamHeaders } from './schemas.ts';

/**
 * When the (already verified) access token stops being valid: a stream must not outlive the
 * credentials it was opened with. The client reconnects with a fresh token and Last-Event-ID.
 */
function tokenExpiry(request: FastifyRequest): number {
  const token = bearerToken(request);
  const payload = token?.split('.')[1];
  if (!payload) return 0;
  const { exp } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown };
  return typeof exp === 'number' ? exp * 1000 : 0;
}

export function streamRoutes(app: HttpApp, ctx: NotificationsContext, streams: NotificationStreams, revocations: RevocationList): void {
  app.get(
    '/stream',
    {
      onRequest: requireUser,
      schema: {
        tags: ['notifications'],
        summary: 'Your new notifications as they arrive (server-sent events)',
        description:
          'One `notification` event per new notification, `id` being its id; a comment line every heartbeat. With `Last-Event-ID` your notifications newer than that one are sent first. The stream ends when the session is revoked or the access token expires: reconnect with a fresh token and Last-Event-ID.',
        security: bearerSecurity,
        querystring: StrictObject({}),
        headers: StreamHeaders,
        response: { 200: { content: { 'text/event-stream': { schema: EventStream } } }, ...problems(400, 401, 503) },
      },
    },
    async (request, reply) => {
      const { userId, sessionId } = principalOf(request);
      const lastEventId = request.headers['last-event-id'];
      const expiresAt = tokenExpiry(request);
      await streams.serve(request, reply, {
        userId,
        replay: async () => (lastEventId === undefined ? [] : listNotificationsSince(ctx, userId, lastEventId, ctx.config.STREAM_REPLAY_LIMIT)),
        mayContinue: async () => ctx.clock.now().getTime() < expiresAt && !(await revocations.isRevoked(sessionId)),
      });
    },
  );
}
