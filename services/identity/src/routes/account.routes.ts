/** The signed-in user's own account and password recovery: /api/v1/auth me, password, password/forgot, password/reset. */
import type { HttpApp } from '@agora/kit/http/app';
import { bearerSecurity, principalOf, requireUser } from '@agora/kit/http/auth';
import { NoContent, problems } from '@agora/kit/http/schemas';
import { changePassword } from '../domain/change-password.ts';
import type { IdentityContext } from '../domain/context.ts';
import { deleteOwnAccount } from '../domain/delete-account.ts';
import { getAccount } from '../domain/get-account.ts';
import { requestPasswordReset } from '../domain/request-password-reset.ts';
import { resetPassword } from '../domain/reset-password.ts';
import { requestMeta } from './request-meta.ts';
import { Accepted, Account, BODY_PROBLEMS, ChangePasswordBody, DeleteMeBody, ForgotBody, ResetBody } from './schemas.ts';

const tags = ['account'];

export function accountRoutes(app: HttpApp, ctx: IdentityContext): void {
  app.get(
    '/me',
    {
      onRequest: requireUser,
      schema: { tags, summary: 'The signed-in account', security: bearerSecurity, response: { 200: Account, ...problems(401, 404) } },
    },
    async (request) => getAccount(ctx, principalOf(request).userId),
  );

  app.delete(
    '/me',
    {
      onRequest: requireUser,
      schema: {
        tags,
        summary: 'Erase the signed-in account',
        description: 'Needs the password; a wrong one is 401 AUTH.INVALID_PASSWORD (and counts toward the failed-login throttle). Every session is revoked and the user’s content is erased across services.',
        security: bearerSecurity,
        body: DeleteMeBody,
        response: { 204: NoContent, ...problems(...BODY_PROBLEMS, 404, 429) },
      },
    },
    async (request, reply) => {
      await deleteOwnAccount(ctx, principalOf(request), request.body, requestMeta(request));
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/password',
    {
      onRequest: requireUser,
      schema: {
        tags,
        summary: 'Change the password',
        description: 'A wrong current password is 401 AUTH.INVALID_PASSWORD. Every other session is revoked; this one stays.',
        security: bearerSecurity,
        body: ChangePasswordBody,
        response: { 204: NoContent, ...problems(...BODY_PROBLEMS, 404, 429) },
      },
    },
    async (request, reply) => {
      await changePassword(ctx, principalOf(request), request.body, requestMeta(request));
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/password/forgot',
    {
      schema: {
        tags,
        summary: 'Mail a password-reset link',
        description: 'Always 202, whether or not the email has an account. The link is valid 30 minutes and works once.',
        body: ForgotBody,
        response: { 202: Accepted, ...problems(...BODY_PROBLEMS) },
      },
    },
    async (request, reply) => {
      requestPasswordReset(ctx, request.body);
      // No body (as for 204): the typed send() insists on the schema's null, which would be sent as "null".
      return reply.code(202).send(undefined as never);
    },
  );

  app.post(
    '/password/reset',
    {
      schema: {
        tags,
        summary: 'Set a new password with a reset token',
        description: 'Every session of the account is revoked. A used, expired or unknown token is 400 AUTH.INVALID_RESET_TOKEN.',
        body: ResetBody,
        response: { 204: NoContent, ...problems(...BODY_PROBLEMS) },
      },
    },
    async (request, reply) => {
      await resetPassword(ctx, request.body, requestMeta(request));
      return reply.code(204).send(null);
    },
  );
}
