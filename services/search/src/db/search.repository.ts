/**
 * The ranked search over every kind of document, in one statement: each kind's best candidates,
 * merged by score and cut to the page, then joined to what the page shows.
 *
 * A document matches when its `words` match the query read with the `simple` configuration (the
 * last word also as a prefix), when its `stems` match it read with `english`, or, for names only,
 * when a name is within trigram word similarity TRIGRAM_THRESHOLD of the query (typos). Its score:
 *
 *   score = greatest(ts_rank_cd(words, simple query, 32), ts_rank_cd(stems, english query, 32))
 *         + word_similarity(query, names)²
 *
 * ts_rank_cd weighs name lexemes (A, 1.0) over text and description ones (B, 0.4), and
 * normalization 32 (rank / (rank + 1)) keeps that term below 1. Names (username and display
 * name, product name) add their similarity to the query squared: 1 for a name that is the query,
 * so an exact name always outranks any text that merely mentions it, while a near miss counts
 * for little (a typo at similarity 0.33 adds 0.11). Posts have no names. Ties: newer first, then
 * the greater id.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Database, Queryable } from '@agora/kit/db/database';

export type DocumentKind = 'user' | 'post' | 'product';

export interface SearchPlan {
  /** The query as typed, for websearch_to_tsquery (quotes, `or`, `-word`). */
  words: string;
  /** The query without its last word, and that word (letters and digits only) to match as a prefix. */
  prefix: { head: string; last: string } | null;
  /** What names are compared with by trigram similarity (excluded words left out). */
  fuzzy: string;
  kinds: readonly DocumentKind[];
  offset: number;
  /** Rows to return from `offset` on. */
  take: number;
}

/** One row per hit; the columns of the other kinds are null. */
export interface SearchRow {
  kind: DocumentKind;
  id: string;
  score: number;
  username: string | null;
  display_name: string | null;
  avatar_url: string | null;
  text: string | null;
  created_at: Date | string | null;
  author_id: string | null;
  author_username: string | null;
  author_display_name: string | null;
  author_avatar_url: string | null;
  name: string | null;
  description: string | null;
  price_cents: number | string | bigint | null;
  currency: string | null;
  seller_id: string | null;
  category_id: string | null;
}

/** Least word similarity (0–1) of a name to count as a match: "alcie" finds "alice" at 0.33. */
export const TRIGRAM_THRESHOLD = 0.3;

/** Where pg_trgm's functions and operators live in this database (see 0001_init.sql). */
export async function findTrigramSchema(q: Queryable): Promise<string> {
  const { rows } = await q.execute<{ schema: string }>(
    sql`select nspname as schema from pg_extension join pg_namespace on pg_namespace.oid = extnamespace where extname = 'pg_trgm'`,
  );
  const schema = rows[0]?.schema;
  if (!schema) throw new Error('pg_trgm is not installed; the migrations have not run');
  return schema;
}

const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/**
 * The query as SQL fragments. Each is written out where it is used rather than taken from a CTE:
 * the planner then sees the tsquery as a constant, estimates it and makes it the condition of the
 * GIN index scan.
 */
function queryOf(plan: SearchPlan, trgm: SQL) {
  let words = sql`websearch_to_tsquery('simple'::regconfig, ${plan.words}::text)`;
  if (plan.prefix) {
    const typing = sql`websearch_to_tsquery('simple'::regconfig, ${plan.prefix.head}::text) && to_tsquery('simple'::regconfig, ${plan.prefix.last}::text || ':*')`;
    words = sql`(${words} || (${typing}))`;
  }
  const stems = sql`websearch_to_tsquery('english'::regconfig, ${plan.words}::text)`;
  return {
    matches: (table: string) => sql`${sql.raw(table)}.words @@ ${words} or ${sql.raw(table)}.stems @@ ${stems}`,
    textRank: (table: string) => sql`greatest(ts_rank_cd(${sql.raw(table)}.words, ${words}, 32), ts_rank_cd(${sql.raw(table)}.stems, ${stems}, 32))::float8`,
    nameRank: (names: string) => sql`(${trgm}.word_similarity(${plan.fuzzy}::text, ${sql.raw(names)})::float8 ^ 2)`,
    nameMatches: (names: string) => sql`${plan.fuzzy}::text operator(${trgm}.<%) ${sql.raw(names)}`,
  };
}

/** Each kind's best `depth` candidates: enough for any page up to offset + take. */
function candidates(kind: DocumentKind, query: ReturnType<typeof queryOf>, depth: number): SQL {
  const order = sql`order by score desc, recency desc, id desc limit ${depth}`;
  switch (kind) {
    case 'user':
      return sql`(select 'user'::text as kind, u.id, ${query.textRank('u')} + ${query.nameRank('u.names')} as score, u.registered_at as recency
        from users u
        where u.deleted_at is null and (${query.matches('u')} or ${query.nameMatches('u.names')})
        ${order})`;
    case 'post':
      return sql`(select 'post'::text as kind, p.id, ${query.textRank('p')} as score, p.created_at as recency
        from posts p join users a on a.id = p.author_id and a.deleted_at is null
        where p.deleted_at is null and p.created_at is not null and (${query.matches('p')})
        ${order})`;
    case 'product':
      return sql`(select 'product'::text as kind, pr.id, ${query.textRank('pr')} + ${query.nameRank('pr.name')} as score, pr.updated_at as recency
        from products pr
        where pr.deleted_at is null and (${query.matches('pr')} or ${query.nameMatches('pr.name')})
        ${order})`;
  }
}

export function searchRepository(database: Database) {
  // Looked up on first use: the migrations that install pg_trgm run after this is built.
  let trigramSchema: Promise<SQL> | undefined;
  const trigrams = (): Promise<SQL> => {
    if (!trigramSchema) {
      const lookup = findTrigramSchema(database.db).then((schema) => sql.raw(quoteIdent(schema)));
      trigramSchema = lookup;
      // A failed lookup is tried again by the next search.
      lookup.catch(() => {
        if (trigramSchema === lookup) trigramSchema = undefined;
      });
    }
    return trigramSchema;
  };

  return {
    async search(plan: SearchPlan): Promise<SearchRow[]> {
      if (plan.kinds.length === 0 || plan.take <= 0) return [];
      const query = queryOf(plan, await trigrams());
      const depth = plan.offset + plan.take;
      const branches = sql.join(
        plan.kinds.map((kind) => candidates(kind, query, depth)),
        sql` union all `,
      );
      const statement = sql`
        with ranked as (
          select * from (${branches}) as candidates
          order by score desc, recency desc, id desc
          limit ${plan.take} offset ${plan.offset}
        )
        select r.kind, r.id, r.score,
          u.username, u.display_name, u.avatar_url,
          p.text, p.created_at, a.id as author_id, a.username as author_username, a.display_name as author_display_name, a.avatar_url as author_avatar_url,
          pr.name, pr.description, pr.price_cents, pr.currency, pr.seller_id, pr.category_id
        from ranked r
        left join users u on r.kind = 'user' and u.id = r.id
        left join posts p on r.kind = 'post' and p.id = r.id
        left join users a on a.id = p.author_id
        left join products pr on r.kind = 'product' and pr.id = r.id
        order by r.score desc, r.recency desc, r.id desc`;
      return database.transaction(async (tx) => {
        // For this transaction only: the trigram operators read their threshold from a setting,
        // and the planner prices them as cheap as `=`, so it would rather run word_similarity on
        // every row than use the trigram index; every branch has index conditions, so no
        // sequential scan is ever the better plan here.
        await tx.execute(sql`select set_config('pg_trgm.word_similarity_threshold', ${String(TRIGRAM_THRESHOLD)}, true), set_config('enable_seqscan', 'off', true)`);
        const { rows } = await tx.execute<Record<string, unknown>>(statement);
        return rows as unknown as SearchRow[];
      });
    },
  };
}

export type SearchRepository = ReturnType<typeof searchRepository>;
