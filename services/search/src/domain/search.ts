/**
 * Searching posts, people and products at once, best first. The ranked list is paged by offset
 * (ranks aren't stable keys: any document may move as the index changes); the cursor is that
 * offset, opaque to clients. Only the first MAX_RESULTS hits are served: deeper than that a
 * query should be refined, and each page costs the ranking of every hit before it.
 */
import { decodeCursor, encodeCursor } from '@agora/kit/pagination';
import type { DocumentKind, SearchRow } from '../db/search.repository.ts';
import type { SearchContext } from './context.ts';
import { readQuery, termsOf } from './query-terms.ts';

export const MAX_RESULTS = 1_000;

export type SearchType = 'posts' | 'users' | 'products';

const KINDS: Record<SearchType, DocumentKind> = { posts: 'post', users: 'user', products: 'product' };
const ALL_KINDS: DocumentKind[] = ['user', 'post', 'product'];

interface Person {
  id: string;
  username: string;
  displayName: string;
  avatarUrl: string | null;
}

export type SearchHit =
  | ({ kind: 'user'; score: number } & Person)
  | { kind: 'post'; id: string; score: number; author: Person; text: string; createdAt: string }
  | {
      kind: 'product';
      id: string;
      score: number;
      name: string;
      description: string;
      priceCents: number;
      currency: string;
      sellerId: string;
      categoryId: string | null;
    };

export interface SearchInput {
  q: string;
  type?: SearchType | undefined;
  limit: number;
  cursor?: string | undefined;
}

/** Offsets this search hands out: a positive number below MAX_RESULTS. */
const parseOffset = (position: string): number | undefined => {
  if (!/^[1-9]\d{0,5}$/.test(position)) return undefined;
  const offset = Number(position);
  return offset < MAX_RESULTS ? offset : undefined;
};

export async function search(ctx: SearchContext, input: SearchInput): Promise<{ items: SearchHit[]; nextCursor: string | null }> {
  const text = readQuery(input.q);
  const offset = input.cursor === undefined ? 0 : decodeCursor(input.cursor, parseOffset);
  const terms = termsOf(text);
  if (!terms) return { items: [], nextCursor: null };

  const take = Math.min(input.limit, MAX_RESULTS - offset);
  const kinds = input.type ? [KINDS[input.type]] : ALL_KINDS;
  const rows = await ctx.documents.search({ ...terms, kinds, offset, take: take + 1 });
  const more = rows.length > take && offset + take < MAX_RESULTS;
  return { items: rows.slice(0, take).map(toHit), nextCursor: more ? encodeCursor(offset + take) : null };
}

const iso = (value: Date | string): string => new Date(value).toISOString();

function toHit(row: SearchRow): SearchHit {
  // Six decimals: the ranking functions compute in single precision, the rest would be noise.
  const score = Math.round(Number(row.score) * 1e6) / 1e6;
  switch (row.kind) {
    case 'user':
      return { kind: 'user', id: row.id, score, username: row.username!, displayName: row.display_name!, avatarUrl: row.avatar_url };
    case 'post':
      return {
        kind: 'post',
        id: row.id,
        score,
        author: { id: row.author_id!, username: row.author_username!, displayName: row.author_display_name!, avatarUrl: row.author_avatar_url },
        text: row.text!,
        createdAt: iso(row.created_at!),
      };
    case 'product':
      return {
        kind: 'product',
        id: row.id,
        score,
        name: row.name!,
        description: row.description!,
        priceCents: Number(row.price_cents),
        currency: row.currency!,
        sellerId: row.seller_id!,
        categoryId: row.category_id,
      };
  }
}
