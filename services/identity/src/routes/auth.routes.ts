/** Sign-up, sign-in and sessions: /api/v1/auth register, login, refresh, logout, logout-all. */
import type { HttpApp } from '@agora/kit/http/app';
import { bearerSecurity, principalOf, requireUser } from '@agora/kit/http/auth';
import { NoContent, problems } from '@agora/kit/http/schemas';
import type { IdentityContext } from '../domain/context.ts';
import { logIn } from '../domain/log-in.ts';
import { logOut, logOutEverywhere } from '../domain/log-out.ts';
import { refreshSession } from '../domain/refresh-session.ts';
import { registerUser } from '../domain/register-user.ts';
import { requestMeta } from './request-meta.ts';
import { BODY_PROBLEMS, LoginBody, LogoutBody, RefreshBody, RegisterBody, Session } from './schemas.ts';

const tags = ['auth'];

export function authRoutes(app: HttpApp, ctx: IdentityContext): void {
  app.post(
    '/register',
    {
      schema: {
        tags,
        summary: 'Create an account and sign in',
        body: RegisterBody,
        response: { 201: Session, ...problems(...BODY_PROBLEMS, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await registerUser(ctx, request.body, requestMeta(request))),
  );

  app.post(
    '/login',
    {
      schema: {
        tags,
        summary: 'Sign in with email and password',
        description: 'After 10 failures in 15 minutes for one email from one client, that pair is refused with 429 until the window ends.',
        body: LoginBody,
        response: { 200: Session, ...problems(...BODY_PROBLEMS, 429) },
      },
    },
    async (request) => logIn(ctx, request.body, requestMeta(request)),
  );

  app.post(
    '/refresh',
    {
      schema: {
        tags,
        summary: 'Trade a refresh token for a new session pair',
        description: 'The presented token is spent. Presenting a spent token again revokes the session (401 AUTH.REFRESH_REUSED).',
        body: RefreshBody,
        response: { 200: Session, ...problems(...BODY_PROBLEMS) },
      },
    },
    async (request) => refreshSession(ctx, request.body, requestMeta(request)),
  );

  app.post(
    '/logout',
    {
      schema: {
        tags,
        summary: 'End the session a refresh token belongs to',
        description: 'Idempotent: an unknown token is answered 204 as well.',
        body: LogoutBody,
        response: { 204: NoContent, ...problems(...BODY_PROBLEMS) },
      },
    },
    async (request, reply) => {
      await logOut(ctx, request.body, requestMeta(request));
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/logout-all',
    {
      onRequest: requireUser,
      schema: {
        tags,
        summary: 'End every session of the signed-in user',
        security: bearerSecurity,
        response: { 204: NoContent, ...problems(401) },
      },
    },
    async (request, reply) => {
      await logOutEverywhere(ctx, principalOf(request).userId, requestMeta(request));
      return reply.code(204).send(null);
    },
  );
}
