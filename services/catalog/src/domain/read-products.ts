/**
 * Reading products: one product, and the list with its filters and four orders. The list pages
 * with an opaque keyset cursor holding the order and the sort keys of the last product served,
 * so a page never repeats or skips a product because others were added meanwhile. A cursor is
 * only good for the order it was given out for.
 */
import { errors } from '@agora/kit/errors';
import { isUuid } from '@agora/kit/ids';
import { decodeCursor, pageOf } from '@agora/kit/pagination';
import type { ProductPosition, ProductSort, ProductView, ProductViewsRepository } from '../db/product-views.repository.ts';
import { productNotFound } from './errors.ts';
import { toProduct, type Product } from './products.ts';

export interface ProductQuery {
  q?: string | undefined;
  categoryId?: string | undefined;
  minPriceCents?: number | undefined;
  maxPriceCents?: number | undefined;
  sort: ProductSort;
  limit: number;
  cursor?: string | undefined;
}

export interface ProductPage {
  items: Product[];
  nextCursor: string | null;
}

export const MAX_QUERY_LENGTH = 200;

export async function getProduct(views: ProductViewsRepository, productId: string): Promise<Product> {
  const view = await views.find(productId);
  if (!view) throw productNotFound();
  return toProduct(view);
}

export async function listProducts(views: ProductViewsRepository, query: ProductQuery): Promise<ProductPage> {
  if (query.minPriceCents !== undefined && query.maxPriceCents !== undefined && query.minPriceCents > query.maxPriceCents) {
    throw invalid('querystring/minPriceCents', 'must not be greater than maxPriceCents');
  }
  const text = query.q === undefined ? undefined : searchText(query.q);
  const position = query.cursor === undefined ? undefined : decodeCursor(query.cursor, (raw) => parsePosition(raw, query.sort));
  const filter = { text, categoryId: query.categoryId, minPriceCents: query.minPriceCents, maxPriceCents: query.maxPriceCents };
  const rows = await views.list(filter, query.sort, position, query.limit + 1);
  const { page, nextCursor } = pageOf(rows, query.limit, (view) => JSON.stringify(positionOf(view, query.sort)));
  return { items: page.map(toProduct), nextCursor };
}

const invalid = (path: string, message: string) => errors.badRequest('VALIDATION.FAILED', 'The request is invalid', { errors: [{ path, message }] });

/** Control characters (NUL among them, which PostgreSQL refuses in text) read as spaces. */
const CONTROL = /\p{Cc}/gu;

/** The words as searched: 1–200 characters once trimmed, else 400. */
function searchText(raw: string): string {
  const text = raw.toWellFormed().replace(CONTROL, ' ').trim();
  const length = [...text].length;
  if (length < 1 || length > MAX_QUERY_LENGTH) {
    throw invalid('querystring/q', `must have 1 to ${MAX_QUERY_LENGTH} characters besides surrounding spaces`);
  }
  return text;
}

function positionOf(view: ProductView, sort: ProductSort): unknown[] {
  switch (sort) {
    case 'newest':
      return [sort, view.createdAt.toISOString(), view.id];
    case 'price_asc':
    case 'price_desc':
      return [sort, Number(view.priceCents), view.id];
    case 'rating':
      return [sort, view.ratingAverage, Number(view.ratingCount), view.id];
  }
}

const ISO_MILLIS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const AVERAGE = /^\d\.\d{2}$/;
const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

/** Reads back what `positionOf` wrote for this sort; anything else is not a cursor this list gave out. */
function parsePosition(raw: string, sort: ProductSort): ProductPosition | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || parsed[0] !== sort) return undefined;
  const id: unknown = parsed.at(-1);
  if (typeof id !== 'string' || !isUuid(id)) return undefined;
  switch (sort) {
    case 'newest': {
      const [, createdAt] = parsed as unknown[];
      if (parsed.length !== 3 || typeof createdAt !== 'string' || !ISO_MILLIS.test(createdAt) || Number.isNaN(Date.parse(createdAt))) return undefined;
      return { sort, createdAt, id };
    }
    case 'price_asc':
    case 'price_desc': {
      const [, priceCents] = parsed as unknown[];
      if (parsed.length !== 3 || !isCount(priceCents)) return undefined;
      return { sort, priceCents, id };
    }
    case 'rating': {
      const [, average, count] = parsed as unknown[];
      if (parsed.length !== 4 || typeof average !== 'string' || !AVERAGE.test(average) || !isCount(count) || count > 2_147_483_647) return undefined;
      return { sort, average, count, id };
    }
  }
}
