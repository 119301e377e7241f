/** The request and response shapes of API.md's catalog section; responses name every field they may carry. */
import { Type } from 'typebox';
import { StrictObject, Timestamp, Uuid } from '@agora/kit/http/schemas';

/** Text PostgreSQL can store: no NUL, no unpaired surrogate. */
const STORABLE = '[^\\u0000\\uD800-\\uDFFF]*';
const Name = (maxLength: number, description: string) =>
  Type.String({ minLength: 1, maxLength, pattern: `^(?=[\\s\\S]*\\S)${STORABLE}$`, description });

export const MAX_PRICE_CENTS = 1_000_000_000;
export const MAX_STOCK = 1_000_000_000;
export const MAX_IMAGES = 10;

const ProductName = Name(200, '1–200 characters, not only white space');
const Description = Type.String({ maxLength: 5000, pattern: `^${STORABLE}$`, description: 'Up to 5000 characters' });
const PriceCents = Type.Integer({ minimum: 0, maximum: MAX_PRICE_CENTS, description: 'Integer minor units of `currency`' });
const Currency = Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code, upper case; USD when absent at creation' });
const Stock = Type.Integer({ minimum: 0, maximum: MAX_STOCK, description: 'Units that can be bought' });
const ImageMediaIds = Type.Array(Uuid, {
  maxItems: MAX_IMAGES,
  uniqueItems: true,
  description: `Up to ${MAX_IMAGES} distinct uploads of the seller’s, in display order`,
});

export const CreateProductBody = StrictObject({
  name: ProductName,
  description: Description,
  priceCents: PriceCents,
  currency: Type.Optional(Currency),
  stock: Stock,
  categoryId: Type.Optional(Uuid),
  imageMediaIds: Type.Optional(ImageMediaIds),
});

export const EditProductBody = StrictObject(
  {
    name: Type.Optional(ProductName),
    description: Type.Optional(Description),
    priceCents: Type.Optional(PriceCents),
    currency: Type.Optional(Currency),
    stock: Type.Optional(Stock),
    categoryId: Type.Optional(Type.Union([Uuid, Type.Null()], { description: 'null takes the product out of its category' })),
    imageMediaIds: Type.Optional(ImageMediaIds),
  },
  { minProperties: 1 },
);

export const CategoryRef = Type.Object({ id: Uuid, name: Type.String() }, { title: 'Category' });

export const Product = Type.Object(
  {
    id: Uuid,
    sellerId: Uuid,
    name: Type.String(),
    description: Type.String(),
    priceCents: Type.Integer({ minimum: 0 }),
    currency: Type.String(),
    stock: Type.Integer({ minimum: 0, description: 'Units that can still be bought' }),
    category: Type.Union([CategoryRef, Type.Null()]),
    imageUrls: Type.Array(Type.String(), { description: 'In the seller’s order; deleted media is left out' }),
    rating: Type.Object({
      average: Type.Number({ minimum: 0, maximum: 5, description: 'Mean of the ratings to two decimals; 0 without reviews' }),
      count: Type.Integer({ minimum: 0 }),
    }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { title: 'Product' },
);

export const PRODUCT_SORTS = ['newest', 'price_asc', 'price_desc', 'rating'] as const;

export const ProductListQuery = StrictObject({
  q: Type.Optional(Type.String({ maxLength: 1000, description: 'Words to find in names and descriptions (1–200 characters once trimmed)' })),
  categoryId: Type.Optional(Uuid),
  minPriceCents: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER })),
  maxPriceCents: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER })),
  sort: Type.Union(
    PRODUCT_SORTS.map((sort) => Type.Literal(sort)),
    { default: 'newest', description: 'newest first (default), price ascending or descending, or best rated (average, then count)' },
  ),
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
  cursor: Type.Optional(Type.String({ maxLength: 512, description: 'nextCursor of the previous page, with the same sort' })),
});

export const CategoryBody = StrictObject({ name: Name(60, '1–60 characters, not only white space; unique regardless of case') });

export const ReviewAuthor = Type.Object(
  {
    id: Uuid,
    username: Type.String(),
    displayName: Type.String(),
    avatarUrl: Type.Union([Type.String(), Type.Null()]),
  },
  { title: 'ReviewAuthor' },
);

export const Review = Type.Object(
  {
    id: Uuid,
    productId: Uuid,
    author: ReviewAuthor,
    rating: Type.Integer({ minimum: 1, maximum: 5 }),
    text: Type.Union([Type.String(), Type.Null()], { description: 'null when none was given' }),
    createdAt: Timestamp,
  },
  { title: 'Review' },
);

export const ReviewBody = StrictObject({
  rating: Type.Integer({ minimum: 1, maximum: 5 }),
  text: Type.Optional(Type.String({ maxLength: 2000, pattern: `^${STORABLE}$`, description: 'Up to 2000 characters' })),
});

/** Statuses every route with a JSON body can answer besides its own: invalid, bad token, too large, not JSON. */
export const BODY_PROBLEMS = [400, 401, 413, 415] as const;
