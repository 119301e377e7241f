/** The request and response shapes of API.md's identity section; responses name every field they may carry. */
import { Type } from 'typebox';
import { StrictObject, Timestamp, Uuid } from '@agora/kit/http/schemas';

export const Email = Type.String({ format: 'email', maxLength: 254 });
export const NewPassword = Type.String({ minLength: 8, maxLength: 128 });
/** Any password a user may have set (checked, not judged); bounded so nobody makes Argon2 hash a megabyte. */
export const GivenPassword = Type.String({ minLength: 1, maxLength: 1024 });
export const Username = Type.String({ pattern: '^[a-z0-9_]{3,30}$', description: '3–30 of a-z, 0-9 and _' });
export const Role = Type.Union([Type.Literal('user'), Type.Literal('seller'), Type.Literal('admin')]);
export const OpaqueToken = Type.String({ minLength: 1, maxLength: 512 });

export const Session = Type.Object(
  {
    user: Type.Object({ id: Uuid, email: Type.String(), username: Type.String(), roles: Type.Array(Role) }),
    accessToken: Type.String({ description: 'EdDSA JWT; send as `Authorization: Bearer <accessToken>`' }),
    refreshToken: Type.String({ description: 'Opaque, single use: each refresh returns a new one' }),
    expiresIn: Type.Integer({ description: 'Seconds until the access token expires' }),
  },
  { title: 'Session' },
);

export const Account = Type.Object(
  { id: Uuid, email: Type.String(), username: Type.String(), roles: Type.Array(Role), createdAt: Timestamp },
  { title: 'Account' },
);

export const RegisterBody = StrictObject({
  email: Email,
  username: Username,
  password: NewPassword,
  displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
});

export const LoginBody = StrictObject({ email: Type.String({ minLength: 1, maxLength: 254 }), password: GivenPassword });
export const RefreshBody = StrictObject({ refreshToken: OpaqueToken });
export const LogoutBody = StrictObject({ refreshToken: Type.String({ maxLength: 512 }) });
export const DeleteMeBody = StrictObject({ password: GivenPassword });
export const ChangePasswordBody = StrictObject({ currentPassword: GivenPassword, newPassword: NewPassword });
export const ForgotBody = StrictObject({ email: Email });
export const ResetBody = StrictObject({ token: OpaqueToken, newPassword: NewPassword });
export const RolesBody = StrictObject({ roles: Type.Array(Role, { maxItems: 3, description: '`user` is always kept' }) });
export const RolesResult = Type.Object({ id: Uuid, roles: Type.Array(Role) });
export const Accepted = Type.Null({ description: 'Accepted; no body' });

/** Statuses every route with a JSON body can answer besides its own: invalid, bad token, too large, not JSON. */
export const BODY_PROBLEMS = [400, 401, 413, 415] as const;
