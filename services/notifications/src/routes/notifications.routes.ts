/** The inbox: /api/v1/notifications (the list) and /api/v1/notifications/read. */
import type { HttpApp } from '@agora/kit/http/app';
import { bearerSecurity, principalOf, requireUser } from '@agora/kit/http/auth';
import { NoContent, Page, problems } from '@agora/kit/http/schemas';
import type { NotificationsContext } from '../domain/context.ts';
import { listNotifications } from '../domain/list-notifications.ts';
import { markNotificationsRead } from '../domain/mark-read.ts';
import { BODY_PROBLEMS, ListQuery, MarkReadBody, Notification } from './schemas.ts';

const tags = ['notifications'];

export function notificationRoutes(app: HttpApp, ctx: NotificationsContext): void {
  app.get(
    '',
    {
      onRequest: requireUser,
      schema: {
        tags,
        summary: 'Your notifications, newest first',
        description: 'Only your own. `unread=true` lists only those not marked read. Follows, likes and comments are taken back while unread when their cause is.',
        security: bearerSecurity,
        querystring: ListQuery,
        response: { 200: Page(Notification), ...problems(400, 401) },
      },
    },
    async (request) => listNotifications(ctx, principalOf(request).userId, request.query),
  );

  app.post(
    '/read',
    {
      onRequest: requireUser,
      // "All when absent": no body at all reads as an empty one (a JSON null is still refused).
      preValidation: async (request) => {
        if (request.body === undefined) request.body = {};
      },
      schema: {
        tags,
        summary: 'Mark notifications read',
        description: 'The given ids (up to 100), or all of yours without ids. Ids that are not yours are ignored.',
        security: bearerSecurity,
        body: MarkReadBody,
        response: { 204: NoContent, ...problems(...BODY_PROBLEMS) },
      },
    },
    async (request, reply) => {
      await markNotificationsRead(ctx, principalOf(request).userId, request.body.ids);
      return reply.code(204).send(null);
    },
  );
}
