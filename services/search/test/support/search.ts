/**
 * What the search tests share: the service under test (PGlite in memory, or PostgreSQL with
 * DATABASE_URL), factories that publish what posts, users and the catalog would, and waits on
 * the service's own record of processed events, so "nothing changed" can be asserted without
 * sleeping.
 */
import assert from 'node:assert/strict';
import { randomInt, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { EventData, EventType } from '@agora/contracts/events';
import { createEvent } from '@agora/kit/bus/outbox';
import type { EventEnvelope } from '@agora/kit/bus/types';
import { eventually, startServiceUnderTest, type GivenUser, type ServiceUnderTest } from '@agora/kit/testing/service-harness';
import type { SearchConfig } from '../../src/config.ts';
import { searchModule } from '../../src/module.ts';

export const SEARCH = '/api/v1/search';

export type Search = ServiceUnderTest<SearchConfig>;

export const startSearch = (): Promise<Search> => startServiceUnderTest(searchModule);

const CONSONANTS = 'bdfgklmnprstvz';
const VOWELS = 'aeiou';

/** A made-up word no other test uses, letters only (so it is one token and a valid username). */
export function word(length = 10): string {
  let made = '';
  for (let index = 0; index < length; index++) {
    const letters = index % 2 === 0 ? CONSONANTS : VOWELS;
    made += letters[randomInt(letters.length)];
  }
  return made;
}

export const capitalized = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/** ISO time `ms` from now. */
export const at = (ms = 0): string => new Date(Date.now() + ms).toISOString();

export interface Hit {
  kind: 'user' | 'post' | 'product';
  id: string;
  score: number;
  [field: string]: any;
}

export interface Page {
  items: Hit[];
  nextCursor: string | null;
}

/** GET /search with these parameters; asserts 200. */
export async function search(svc: Search, params: Record<string, string | number>): Promise<Page> {
  const query = new URLSearchParams(Object.entries(params).map(([key, value]): [string, string] => [key, String(value)]));
  const response = await svc.request('GET', `${SEARCH}?${query.toString()}`);
  assert.equal(response.statusCode, 200, response.body);
  return response.json();
}

export const ids = (page: Page): string[] => page.items.map((item) => item.id);

/** Waits until a search for `q` finds `id` (event-fed reads catch up), and returns that page. */
export async function found(svc: Search, q: string, id: string, params: Record<string, string | number> = {}): Promise<Page> {
  return eventually(async () => {
    const page = await search(svc, { q, limit: 100, ...params });
    assert.ok(ids(page).includes(id), `"${q}" does not find ${id}: ${JSON.stringify(page.items)}`);
    return page;
  });
}

/** Waits until a search for `q` no longer finds `id`. */
export async function gone(svc: Search, q: string, id: string): Promise<void> {
  await eventually(async () => {
    const page = await search(svc, { q, limit: 100 });
    assert.ok(!ids(page).includes(id), `"${q}" still finds ${id}`);
  });
}

/** Publishes an envelope made earlier (so its occurredAt is earlier), as a late delivery would. */
export function envelope<T extends EventType>(type: T, data: EventData<T>, producer: string): EventEnvelope<EventData<T>> {
  return createEvent(type, data, { producer });
}

/** Waits until the service has processed (and committed) every one of these events. */
export async function settled(svc: Search, ...events: EventEnvelope<unknown>[]): Promise<void> {
  await eventually(async () => {
    const { rows } = await svc.database.db.execute<{ count: number | string }>(
      sql`select count(*) as count from processed_events where consumer = 'search' and event_id in ${events.map((event) => event.id)}`,
    );
    assert.equal(Number(rows[0]!.count), events.length, 'events not processed yet');
  });
}

/** Publishes and waits for processing. */
export async function deliver(svc: Search, ...events: EventEnvelope<unknown>[]): Promise<void> {
  for (const event of events) await svc.redeliver(event);
  await settled(svc, ...events);
}

export async function givenUser(svc: Search, options: { username?: string; displayName?: string } = {}): Promise<GivenUser> {
  return svc.given.user(options);
}

export function postCreated(author: { id: string }, text: string, overrides: Partial<EventData<'post.created'>> = {}): EventEnvelope<EventData<'post.created'>> {
  return envelope('post.created', { postId: randomUUID(), authorId: author.id, text, mediaIds: [], createdAt: at(), ...overrides }, 'posts');
}

export function productCreated(
  seller: { id: string },
  fields: { name: string; description: string } & Partial<EventData<'product.created'>>,
): EventEnvelope<EventData<'product.created'>> {
  return envelope('product.created', { productId: randomUUID(), sellerId: seller.id, priceCents: 1_250, currency: 'EUR', categoryId: null, updatedAt: at(), ...fields }, 'catalog');
}
