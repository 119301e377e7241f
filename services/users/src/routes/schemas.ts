/** The request and response shapes of API.md's users section; responses name every field they may carry. */
import { Type } from 'typebox';
import { StrictObject, Timestamp, Uuid } from '@agora/kit/http/schemas';

export const Username = Type.String({ minLength: 1, maxLength: 30, description: 'As registered: 3–30 of a-z, 0-9 and _' });
const AvatarUrl = Type.Union([Type.String(), Type.Null()], { description: 'The avatar’s thumbnail (or the image itself); null without one' });

export const Profile = Type.Object(
  {
    id: Uuid,
    username: Type.String(),
    displayName: Type.String(),
    bio: Type.String(),
    avatarUrl: AvatarUrl,
    followersCount: Type.Integer({ minimum: 0 }),
    followingCount: Type.Integer({ minimum: 0 }),
    createdAt: Timestamp,
  },
  { title: 'Profile' },
);

export const UserSummary = Type.Object({ id: Uuid, username: Type.String(), displayName: Type.String(), avatarUrl: AvatarUrl }, { title: 'UserSummary' });

export const UsernameParams = StrictObject({ username: Username });

export const UpdateProfileBody = StrictObject({
  displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
  bio: Type.Optional(Type.String({ maxLength: 300 })),
  avatarMediaId: Type.Optional(Type.Union([Uuid, Type.Null()], { description: 'Media you uploaded; null removes the avatar' })),
});

/** Statuses every route with a JSON body can answer besides its own: invalid, bad token, too large, not JSON. */
export const BODY_PROBLEMS = [400, 401, 413, 415] as const;
