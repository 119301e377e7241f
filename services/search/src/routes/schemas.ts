/** The request and response shapes of API.md's search section; responses name every field they may carry. */
import { Type } from 'typebox';
import { StrictObject, Timestamp, Uuid } from '@agora/kit/http/schemas';
import { MAX_QUERY_LENGTH } from '../domain/query-terms.ts';

const AvatarUrl = Type.Union([Type.String(), Type.Null()], { description: 'The avatar’s thumbnail (or the image itself); null without one' });
const Score = Type.Number({ minimum: 0, description: 'Relevance: higher is better; comparable within one answer only' });

const Person = {
  id: Uuid,
  username: Type.String(),
  displayName: Type.String(),
  avatarUrl: AvatarUrl,
};

export const UserHit = Type.Object({ kind: Type.Literal('user'), score: Score, ...Person }, { title: 'UserHit' });

export const PostHit = Type.Object(
  {
    kind: Type.Literal('post'),
    id: Uuid,
    score: Score,
    author: Type.Object(Person, { description: 'The author as they are named now' }),
    text: Type.String(),
    createdAt: Timestamp,
  },
  { title: 'PostHit' },
);

export const ProductHit = Type.Object(
  {
    kind: Type.Literal('product'),
    id: Uuid,
    score: Score,
    name: Type.String(),
    description: Type.String(),
    priceCents: Type.Integer({ minimum: 0 }),
    currency: Type.String(),
    sellerId: Uuid,
    categoryId: Type.Union([Uuid, Type.Null()]),
  },
  { title: 'ProductHit' },
);

export const SearchHit = Type.Union([UserHit, PostHit, ProductHit], { title: 'SearchHit', description: 'One hit; `kind` tells which' });

export const SearchQuery = StrictObject({
  q: Type.String({
    minLength: 1,
    maxLength: 1_000,
    description: `What to look for: 1–${MAX_QUERY_LENGTH} characters once trimmed. Words match whole (and the last one as a prefix); "quoted words" match as a phrase, \`or\` between words allows either, \`-word\` excludes; names also match with typos.`,
  }),
  type: Type.Optional(Type.Union([Type.Literal('posts'), Type.Literal('users'), Type.Literal('products')], { description: 'Only this kind; all three when absent' })),
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
  cursor: Type.Optional(Type.String({ maxLength: 512, description: 'nextCursor of the previous page, for the same q and type' })),
});
