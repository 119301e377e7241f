/** The request and response shapes of API.md's posts section; responses name every field they may carry. */
import { Type } from 'typebox';
import { StrictObject, Timestamp, Uuid } from '@agora/kit/http/schemas';

const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T, description: string) => Type.Union([schema, Type.Null()], { description });

export const PostAuthor = Type.Object(
  {
    id: Uuid,
    username: Type.String(),
    displayName: Type.String(),
    avatarUrl: Nullable(Type.String(), 'The avatar’s thumbnail (or the image itself); null without one'),
  },
  { title: 'PostAuthor' },
);

export const PostMedia = Type.Object(
  {
    id: Uuid,
    url: Type.String(),
    thumbnailUrl: Nullable(Type.String(), 'null while or when no thumbnail exists'),
    contentType: Type.String(),
  },
  { title: 'PostMedia' },
);

export const Post = Type.Object(
  {
    id: Uuid,
    author: PostAuthor,
    text: Type.String(),
    media: Type.Array(PostMedia, { description: 'In the order given; media deleted since is left out' }),
    likeCount: Type.Integer({ minimum: 0 }),
    commentCount: Type.Integer({ minimum: 0 }),
    likedByMe: Type.Boolean({ description: 'Whether the caller likes it; false without a token' }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { title: 'Post' },
);

const PostText = Type.String({ minLength: 1, maxLength: 5000, pattern: '\\S', description: '1–5000 characters, not only white space' });

export const CreatePostBody = StrictObject({
  text: PostText,
  mediaIds: Type.Optional(
    Type.Array(Uuid, { maxItems: 4, uniqueItems: true, description: 'Up to 4 distinct media you uploaded and haven’t attached to another post' }),
  ),
});

export const EditPostBody = StrictObject({ text: PostText });

export const TimelineQuery = StrictObject({
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
  cursor: Type.Optional(Type.String({ maxLength: 512, description: 'nextCursor of the previous page' })),
  offset: Type.Optional(
    Type.Integer({ minimum: 0, maximum: 1000, description: 'Posts to skip from the newest; for clients that read "n posts from an offset". Not with cursor.' }),
  ),
});

/** Statuses every route with a JSON body can answer besides its own: invalid, bad token, too large, not JSON. */
export const BODY_PROBLEMS = [400, 401, 413, 415] as const;
