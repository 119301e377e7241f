/** The request and response shapes of API.md's comment routes; responses name every field they may carry. */
import { Type } from 'typebox';
import { StrictObject, Timestamp, Uuid } from '@agora/kit/http/schemas';

export const CommentText = Type.String({
  minLength: 1,
  maxLength: 2000,
  // Not only whitespace; no NUL and no unpaired surrogate (not text PostgreSQL can store, nor JSON it accepts).
  pattern: '^(?=[\\s\\S]*\\S)[^\\u0000\\uD800-\\uDFFF]*$',
  description: '1–2000 characters, not all whitespace',
});

export const CommentBody = StrictObject({ text: CommentText });

export const AuthorSummary = Type.Object(
  {
    id: Uuid,
    username: Type.String({ description: 'Empty for a moment after sign-up, until the account’s events arrive' }),
    displayName: Type.String(),
    avatarUrl: Type.Union([Type.String(), Type.Null()]),
  },
  { title: 'CommentAuthor' },
);

export const Comment = Type.Object(
  {
    id: Uuid,
    postId: Uuid,
    author: AuthorSummary,
    text: Type.String(),
    likeCount: Type.Integer({ minimum: 0 }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { title: 'Comment' },
);

/** Statuses every route with a JSON body can answer besides its own: invalid, bad token, too large, not JSON. */
export const BODY_PROBLEMS = [400, 401, 413, 415] as const;
