/**
 * Schema building blocks shared by every service's routes, so the conventions of API.md
 * (strict bodies, UUID ids, cursor pages, problem documents) are written once.
 */
import { Type, type TProperties, type TSchema, type TObject } from 'typebox';

/** A request body that refuses unknown properties (API.md: 400, so no client sets a field it doesn't own). */
export const StrictObject = <P extends TProperties>(properties: P, options: Record<string, unknown> = {}): TObject<P> =>
  Type.Object(properties, { additionalProperties: false, ...options });

export const Uuid = Type.String({ format: 'uuid', description: 'UUID' });
export const IdParams = StrictObject({ id: Uuid });
export const Timestamp = Type.String({ format: 'date-time' });

export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.Optional(Type.String()),
    code: Type.String({ description: 'Stable machine-readable code, AREA.WHAT' }),
    errors: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String() }))),
  },
  { $id: 'Problem', title: 'Problem (RFC 9457)' },
);

const STATUS_TEXT: Record<number, string> = {
  400: 'Invalid input',
  401: 'Missing, invalid or revoked token',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Conflict',
  413: 'Body too large',
  415: 'Unsupported media type',
  422: 'Idempotency key reused with another request',
  429: 'Rate limited',
  503: 'Unavailable',
};

/** Response schemas for the error statuses a route can answer, all problem+json. */
export function problems(...statuses: number[]): Record<number, TSchema> {
  return Object.fromEntries(
    statuses.map((status) => [status, { ...ProblemSchema, $id: undefined, description: STATUS_TEXT[status] ?? 'Error' }]),
  );
}

export const NoContent = Type.Null({ description: 'No content' });

export const PageQuery = StrictObject({
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
  cursor: Type.Optional(Type.String({ maxLength: 512 })),
});

export const Page = <T extends TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), nextCursor: Type.Union([Type.String(), Type.Null()]) });
