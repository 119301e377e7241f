/** The response shapes of API.md's like routes; responses name every field they may carry. */
import { Type } from 'typebox';
import { Uuid } from '@agora/kit/http/schemas';

export const UserSummary = Type.Object(
  {
    id: Uuid,
    username: Type.String(),
    displayName: Type.String(),
    avatarUrl: Type.Union([Type.String(), Type.Null()], { description: 'The avatar’s thumbnail (or the image itself); null without one' }),
  },
  { title: 'UserSummary' },
);

/**
 * What a like or unlike can answer besides 204: a malformed id (or body), no or a bad token, an
 * unknown target, and a body (the routes take none) too large or of a type that isn't parsed.
 */
export const CHANGE_PROBLEMS = [400, 401, 404, 413, 415] as const;
