/** Profiles: /api/v1/users/:id, /by-username/:username and /me. */
import type { HttpApp } from '@agora/kit/http/app';
import { bearerSecurity, principalOf, requireUser } from '@agora/kit/http/auth';
import { IdParams, problems } from '@agora/kit/http/schemas';
import type { UsersContext } from '../domain/context.ts';
import { getProfile, getProfileByUsername } from '../domain/get-profile.ts';
import { updateOwnProfile } from '../domain/update-profile.ts';
import { BODY_PROBLEMS, Profile, UpdateProfileBody, UsernameParams } from './schemas.ts';

const tags = ['profiles'];

export function profileRoutes(app: HttpApp, ctx: UsersContext): void {
  app.patch(
    '/me',
    {
      onRequest: requireUser,
      schema: {
        tags,
        summary: 'Edit the signed-in user’s profile',
        description: 'An avatarMediaId that is not media you uploaded is 400 USERS.UNKNOWN_MEDIA. Right after sign-up the profile may take a moment to exist (404 until then).',
        security: bearerSecurity,
        body: UpdateProfileBody,
        response: { 200: Profile, ...problems(...BODY_PROBLEMS, 404) },
      },
    },
    async (request) => updateOwnProfile(ctx, principalOf(request).userId, request.body, { correlationId: request.id }),
  );

  app.get(
    '/by-username/:username',
    { schema: { tags, summary: 'A profile by username', params: UsernameParams, response: { 200: Profile, ...problems(400, 401, 404) } } },
    async (request) => getProfileByUsername(ctx, request.params.username),
  );

  app.get(
    '/:id',
    { schema: { tags, summary: 'A profile', params: IdParams, response: { 200: Profile, ...problems(400, 401, 404) } } },
    async (request) => getProfile(ctx, request.params.id),
  );
}
