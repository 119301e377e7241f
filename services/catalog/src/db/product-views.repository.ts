/**
 * Products as the API shows them: the row, its category's name and the URLs of its images that
 * still exist (in the seller's order), in one statement per read. Lists are keyset pages over one
 * of four orders, each served by an index of the migration.
 */
import { and, eq, gte, isNull, lte, sql, type SQL } from 'drizzle-orm';
import type { Database, Queryable } from '@agora/kit/db/database';
import { categories, products } from './schema.ts';

export interface ProductView {
  id: string;
  sellerId: string;
  name: string;
  description: string;
  priceCents: number;
  currency: string;
  stock: number;
  categoryId: string | null;
  categoryName: string | null;
  imageUrls: string[];
  ratingAverage: string;
  ratingCount: number;
  createdAt: Date;
  updatedAt: Date;
}

export type ProductSort = 'newest' | 'price_asc' | 'price_desc' | 'rating';

/** The sort keys of the last product served, as strings the cursor carries. */
export type ProductPosition =
  | { sort: 'newest'; createdAt: string; id: string }
  | { sort: 'price_asc' | 'price_desc'; priceCents: number; id: string }
  | { sort: 'rating'; average: string; count: number; id: string };

export interface ProductFilter {
  /** Words to find in names and descriptions, already cleaned of what PostgreSQL can't take. */
  text?: string | undefined;
  categoryId?: string | undefined;
  minPriceCents?: number | undefined;
  maxPriceCents?: number | undefined;
}

const fields = {
  id: products.id,
  sellerId: products.sellerId,
  name: products.name,
  description: products.description,
  priceCents: products.priceCents,
  currency: products.currency,
  stock: products.available,
  categoryId: products.categoryId,
  categoryName: categories.name,
  imageUrls: sql<string[]>`case when cardinality(${products.imageMediaIds}) = 0 then '[]'::json else coalesce((
      select json_agg(m.url order by array_position(${products.imageMediaIds}, m.id))
      from media m where m.id = any(${products.imageMediaIds}) and m.deleted_at is null and m.url is not null
    ), '[]'::json) end`,
  ratingAverage: sql<string>`${products.ratingAverage}::text`,
  ratingCount: products.ratingCount,
  createdAt: products.createdAt,
  updatedAt: products.updatedAt,
};

const viewsOf = (q: Queryable) => q.select(fields).from(products).leftJoin(categories, eq(categories.id, products.categoryId));

export async function findProductView(q: Queryable, id: string): Promise<ProductView | null> {
  const [row] = await viewsOf(q).where(and(eq(products.id, id), isNull(products.deletedAt)));
  return row ?? null;
}

const ORDER: Record<ProductSort, SQL> = {
  newest: sql`${products.createdAt} desc, ${products.id} desc`,
  price_asc: sql`${products.priceCents} asc, ${products.id} asc`,
  price_desc: sql`${products.priceCents} desc, ${products.id} desc`,
  rating: sql`${products.ratingAverage} desc, ${products.ratingCount} desc, ${products.id} desc`,
};

function after(position: ProductPosition): SQL {
  switch (position.sort) {
    case 'newest':
      return sql`(${products.createdAt}, ${products.id}) < (${position.createdAt}::timestamptz, ${position.id}::uuid)`;
    case 'price_asc':
      return sql`(${products.priceCents}, ${products.id}) > (${position.priceCents}::bigint, ${position.id}::uuid)`;
    case 'price_desc':
      return sql`(${products.priceCents}, ${products.id}) < (${position.priceCents}::bigint, ${position.id}::uuid)`;
    case 'rating':
      return sql`(${products.ratingAverage}, ${products.ratingCount}, ${products.id}) < (${position.average}::numeric, ${position.count}::int, ${position.id}::uuid)`;
  }
}

/** How close a name must be to the words (pg_trgm word similarity) to match despite a typo. */
const TRIGRAM_THRESHOLD = 0.5;

/**
 * Words match a product when they are in its name or description as written (`simple`), or as
 * stems (`english`: "lamps" finds "lamp"), or come close to its name (typos).
 */
function matching(text: string, trgm: SQL): SQL {
  const words = sql`websearch_to_tsquery('simple'::regconfig, ${text}::text)`;
  const stems = sql`websearch_to_tsquery('english'::regconfig, ${text}::text)`;
  return sql`(products.words @@ ${words} or products.stems @@ ${stems} or ${trgm}.word_similarity(${text}::text, ${products.name}) >= ${TRIGRAM_THRESHOLD}::float8)`;
}

const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;

export function productViewsRepository(database: Database) {
  // Looked up on first use: the migrations that install pg_trgm run after this is built.
  let trigramSchema: Promise<SQL> | undefined;
  const trigrams = (): Promise<SQL> => {
    if (!trigramSchema) {
      const lookup = database.db
        .execute<{ schema: string }>(sql`select nspname as schema from pg_extension join pg_namespace on pg_namespace.oid = extnamespace where extname = 'pg_trgm'`)
        .then(({ rows }) => {
          const schema = rows[0]?.schema;
          if (!schema) throw new Error('pg_trgm is not installed; the migrations have not run');
          return sql.raw(quoteIdent(schema));
        });
      trigramSchema = lookup;
      // A failed lookup is tried again by the next read.
      lookup.catch(() => {
        if (trigramSchema === lookup) trigramSchema = undefined;
      });
    }
    return trigramSchema;
  };

  return {
    find: (id: string) => findProductView(database.db, id),

    async list(filter: ProductFilter, sort: ProductSort, position: ProductPosition | undefined, take: number): Promise<ProductView[]> {
      const conditions: SQL[] = [isNull(products.deletedAt)];
      if (filter.categoryId !== undefined) conditions.push(eq(products.categoryId, filter.categoryId));
      if (filter.minPriceCents !== undefined) conditions.push(gte(products.priceCents, filter.minPriceCents));
      if (filter.maxPriceCents !== undefined) conditions.push(lte(products.priceCents, filter.maxPriceCents));
      if (filter.text !== undefined) conditions.push(matching(filter.text, await trigrams()));
      if (position) conditions.push(after(position));
      return viewsOf(database.db)
        .where(and(...conditions))
        .orderBy(ORDER[sort])
        .limit(take);
    },
  };
}

export type ProductViewsRepository = ReturnType<typeof productViewsRepository>;
