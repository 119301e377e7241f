/**
 * Loads a community into a running platform through its public API (the gateway), so it works
 * the same against either way of running. Loading is resumable: a person who already exists is
 * signed in instead of registered, and their content is not added twice.
 */
import type { Community } from './community.ts';
import { progressBar } from './progress.ts';

export interface LoadOptions {
  /** The gateway, e.g. http://localhost:8080. */
  url: string;
  /** Everyone's password (demo accounts only). */
  password?: string;
  /** Requests in flight at once. */
  concurrency?: number;
  /** Where the progress bars go; null for none. */
  progress?: { write(text: string): unknown; isTTY?: boolean } | null;
}

export interface LoadedPerson {
  id: string;
  username: string;
  accessToken: string;
  refreshToken: string;
  /** False when the account already existed and was only signed in. */
  created: boolean;
  /** A renewal in flight, shared by every call that found the token expired meanwhile. */
  renewing?: Promise<void> | undefined;
}

export interface LoadedCommunity {
  people: LoadedPerson[];
  /** Post ids by index into `community.posts`; null where the author already existed (not re-posted). */
  postIds: (string | null)[];
}

export const DEMO_PASSWORD = 'agora-demo-password';

class LoadError extends Error {}

interface Answer {
  status: number;
  body: any;
}

/**
 * One API call, retried while the answer is temporary: 429 (after Retry-After), 502–504, and,
 * when `retryNotFound`, 404 (a read model that events haven't filled yet: API.md allows a second).
 */
async function call(
  base: string,
  method: string,
  route: string,
  options: { token?: string; body?: unknown; expect: number[]; retryNotFound?: boolean },
): Promise<Answer> {
  const deadline = Date.now() + 30_000;
  for (let attempt = 0; ; attempt++) {
    const headers: Record<string, string> = {};
    if (options.token) headers['authorization'] = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    let answer: Answer;
    try {
      const response = await fetch(`${base}${route}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
      const text = await response.text();
      answer = { status: response.status, body: text ? (JSON.parse(text) as unknown) : null };
      if (options.expect.includes(answer.status)) return answer;
      const temporary = answer.status === 429 || answer.status >= 502 || (options.retryNotFound === true && answer.status === 404);
      if (!temporary || Date.now() > deadline) throw new LoadError(`${method} ${route} answered ${answer.status}: ${text.slice(0, 300)}`);
      const retryAfter = answer.status === 429 ? Number(response.headers.get('retry-after') ?? '1') * 1000 : 0;
      await sleep(Math.max(retryAfter, Math.min(50 * 2 ** attempt, 1_000)));
    } catch (error) {
      if (error instanceof LoadError || Date.now() > deadline) throw error;
      await sleep(Math.min(50 * 2 ** attempt, 1_000));
    }
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `work` over `items` with at most `concurrency` at once, ticking a progress bar. */
async function inPool<T>(label: string, items: T[], concurrency: number, progress: LoadOptions['progress'], work: (item: T, index: number) => Promise<void>): Promise<void> {
  if (items.length === 0) return;
  const bar = progress === null ? null : progressBar(label, items.length, progress);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      await work(items[index]!, index);
      bar?.tick();
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  bar?.done();
}

/**
 * Calls as `person`, renewing their session when the access token expired (a large load outlasts
 * its 15 minutes), as a client would: with the refresh token, which rotates.
 */
async function callAs(base: string, person: LoadedPerson, method: string, route: string, options: { body?: unknown; expect: number[]; retryNotFound?: boolean }): Promise<Answer> {
  try {
    return await call(base, method, route, { ...options, token: person.accessToken });
  } catch (error) {
    if (!(error instanceof LoadError) || !error.message.includes('AUTH.TOKEN_EXPIRED')) throw error;
    // One renewal per person at a time: presenting a refresh token twice revokes the session.
    person.renewing ??= refreshSession(base, person).finally(() => (person.renewing = undefined));
    await person.renewing;
    return call(base, method, route, { ...options, token: person.accessToken });
  }
}

/** Swaps `person`'s tokens for a fresh pair. */
export async function refreshSession(base: string, person: LoadedPerson): Promise<void> {
  const renewed = await call(base, 'POST', '/api/v1/auth/refresh', { body: { refreshToken: person.refreshToken }, expect: [200] });
  person.accessToken = renewed.body.accessToken as string;
  person.refreshToken = renewed.body.refreshToken as string;
}

export async function loadCommunity(community: Community, options: LoadOptions): Promise<LoadedCommunity> {
  const base = options.url.replace(/\/$/, '');
  const password = options.password ?? DEMO_PASSWORD;
  const concurrency = options.concurrency ?? 16;
  const progress = options.progress === undefined ? process.stderr : options.progress;
  const people: LoadedPerson[] = new Array(community.people.length);

  await inPool('people', community.people, concurrency, progress, async (person, index) => {
    const email = `${person.username}@demo.agora.test`;
    const registered = await call(base, 'POST', '/api/v1/auth/register', {
      body: { email, username: person.username, password, displayName: person.displayName },
      expect: [201, 409],
    });
    const session = registered.status === 201 ? registered.body : (await call(base, 'POST', '/api/v1/auth/login', { body: { email, password }, expect: [200] })).body;
    people[index] = { id: session.user.id, username: person.username, accessToken: session.accessToken, refreshToken: session.refreshToken, created: registered.status === 201 };
  });

  // Follows need both profiles, which users makes from user.registered: 404s until then are retried.
  await inPool('follows', community.follows, concurrency, progress, async ([follower, followee]) => {
    await callAs(base, people[follower]!, 'PUT', `/api/v1/users/${people[followee]!.id}/follow`, { expect: [204], retryNotFound: true });
  });

  const postIds: (string | null)[] = new Array(community.posts.length).fill(null);
  await inPool('posts', community.posts, concurrency, progress, async (post, index) => {
    const author = people[post.author]!;
    if (!author.created) return;
    const created = await callAs(base, author, 'POST', '/api/v1/posts', { body: { text: post.text }, expect: [201] });
    postIds[index] = created.body.id as string;
  });

  const newContent = <T extends { person: number; post: number }>(items: T[]) =>
    items.filter((item) => people[item.person]!.created && postIds[item.post] !== null);
  const likes = newContent(community.likes.map(([person, post]) => ({ person, post })));
  await inPool('likes', likes, concurrency, progress, async ({ person, post }) => {
    await callAs(base, people[person]!, 'PUT', `/api/v1/posts/${postIds[post]!}/like`, { expect: [204], retryNotFound: true });
  });
  await inPool('comments', newContent(community.comments), concurrency, progress, async ({ person, post, text }) => {
    await callAs(base, people[person]!, 'POST', `/api/v1/posts/${postIds[post]!}/comments`, { body: { text }, expect: [201], retryNotFound: true });
  });
  return { people, postIds };
}
