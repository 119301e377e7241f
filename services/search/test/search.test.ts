/** API.md's search route: what matches, how hits rank and page, the type filter, and input it refuses. */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { eventually, expectProblem } from '@agora/kit/testing/service-harness';
import {
  SEARCH,
  at,
  capitalized,
  deliver,
  found,
  givenUser,
  ids,
  postCreated,
  productCreated,
  search,
  startSearch,
  word,
  type Hit,
  type Search,
} from './support/search.ts';

describe('search: GET /search', () => {
  let svc: Search;
  before(async () => {
    svc = await startSearch();
  });
  after(async () => {
    await svc?.close();
  });

  const hit = (page: { items: Hit[] }, id: string): Hit => {
    const item = page.items.find((candidate) => candidate.id === id);
    assert.ok(item, `${id} is not in ${JSON.stringify(page.items)}`);
    return item;
  };

  describe('matching', () => {
    it('finds a post by a word of its text, with its author as they are named', async () => {
      const author = await givenUser(svc, { displayName: 'Posting Person' });
      const needle = word();
      const post = postCreated(author, `Walked along the ${needle} river this morning`);
      await deliver(svc, post);
      const item = hit(await found(svc, needle, post.data.postId), post.data.postId);
      assert.deepEqual(item, {
        kind: 'post',
        id: post.data.postId,
        score: item.score,
        author: { id: author.id, username: author.username, displayName: 'Posting Person', avatarUrl: null },
        text: `Walked along the ${needle} river this morning`,
        createdAt: post.data.createdAt,
      });
      assert.ok(item.score > 0);
    });

    it('finds a person by username and by a word of the display name', async () => {
      const username = word();
      const surname = word();
      const user = await givenUser(svc, { username, displayName: `Ada ${capitalized(surname)}` });
      for (const q of [username, surname, capitalized(surname), `ada ${surname}`]) {
        const item = hit(await found(svc, q, user.id), user.id);
        assert.deepEqual(item, { kind: 'user', id: user.id, score: item.score, username, displayName: `Ada ${capitalized(surname)}`, avatarUrl: null });
      }
    });

    it('finds a product by a word of its name and by a word of its description', async () => {
      const seller = await givenUser(svc);
      const inName = word();
      const inDescription = word();
      const categoryId = randomUUID();
      const product = productCreated(seller, { name: `${capitalized(inName)} desk lamp`, description: `Solid oak, pairs well with ${inDescription} shades`, priceCents: 4_999, currency: 'USD', categoryId });
      await deliver(svc, product);
      for (const q of [inName, inDescription]) {
        const item = hit(await found(svc, q, product.data.productId), product.data.productId);
        assert.deepEqual(item, {
          kind: 'product',
          id: product.data.productId,
          score: item.score,
          name: `${capitalized(inName)} desk lamp`,
          description: `Solid oak, pairs well with ${inDescription} shades`,
          priceCents: 4_999,
          currency: 'USD',
          sellerId: seller.id,
          categoryId,
        });
      }
    });

    it('matches the last word as a prefix while it is typed ("alic" finds alice)', async () => {
      const name = word(10);
      const user = await givenUser(svc, { username: name, displayName: `Alice ${capitalized(name)}` });
      await found(svc, name.slice(0, 6), user.id);
      await found(svc, `alice ${name.slice(0, 4)}`, user.id);
      await found(svc, 'alic', user.id);
      const post = postCreated(user, `Lunch with ${name} and alice`);
      await deliver(svc, post);
      await found(svc, `with ${name.slice(0, 5)}`, post.data.postId);
      // Only the last word is a prefix: a cut-off word before it must match whole (texts have no typo matching).
      assert.ok(!ids(await search(svc, { q: `${name.slice(0, 5)} alice`, type: 'posts', limit: 100 })).includes(post.data.postId));
    });

    it('forgives typos in names ("alcie" finds alice) but not in texts', async () => {
      const name = word(10);
      const typo = `${name.slice(0, 4)}${name[5]}${name[4]}${name.slice(6)}`;
      const user = await givenUser(svc, { username: `alice_${name}`, displayName: `Alice ${capitalized(name)}` });
      const product = productCreated(user, { name: `${capitalized(name)} chair`, description: 'Folding' });
      const post = postCreated(user, `Sitting on my ${name} chair`);
      await deliver(svc, product, post);
      await found(svc, name, post.data.postId);
      const page = await found(svc, typo, user.id);
      assert.ok(ids(page).includes(product.data.productId), 'the product name matches with a typo too');
      assert.ok(!ids(page).includes(post.data.postId), 'post texts match words, not near misses');
      await found(svc, 'alcie', user.id, { type: 'users' });
    });

    it('matches English word forms ("run" finds "running") and ignores case', async () => {
      const author = await givenUser(svc);
      const needle = word();
      const post = postCreated(author, `Went RUNNING by the ${capitalized(needle)} lake`);
      await deliver(svc, post);
      await found(svc, `${needle} run`, post.data.postId);
      await found(svc, `${needle.toUpperCase()} runs`, post.data.postId);
    });

    it('understands phrases, alternatives and exclusions', async () => {
      const author = await givenUser(svc);
      const [a, b, c] = [word(), word(), word()];
      const ab = postCreated(author, `${a} ${b} together`);
      const ba = postCreated(author, `${b} then ${a}`);
      const onlyC = postCreated(author, `just ${c}`);
      await deliver(svc, ab, ba, onlyC);
      await found(svc, a, ba.data.postId);
      const posts = async (q: string) => ids(await search(svc, { q, type: 'posts' }));
      assert.deepEqual(await posts(`"${a} ${b}"`), [ab.data.postId]);
      assert.deepEqual(await posts(`${a} -together`), [ba.data.postId]);
      assert.deepEqual(new Set(await posts(`${c} or ${b}`)), new Set([ab.data.postId, ba.data.postId, onlyC.data.postId]));
      // An alternative made only of an exclusion would match everything else; it is left out.
      assert.deepEqual(await posts(`${c} or -${a}`), [onlyC.data.postId]);
      assert.deepEqual(await posts(`(-${a}) or ${c}`), [onlyC.data.postId]);
      // Every word must match, not just one.
      assert.deepEqual(await posts(`${c} ${a}`), []);
    });

    it('finds nothing for words nobody wrote, and nothing for exclusions or punctuation alone', async () => {
      const author = await givenUser(svc);
      const needle = word();
      const post = postCreated(author, `${needle} stands alone`);
      await deliver(svc, post);
      await found(svc, needle, post.data.postId);
      for (const q of [word(12), `-${needle}`, '&|!', '"""', ':*']) assert.deepEqual(await search(svc, { q }), { items: [], nextCursor: null }, q);
    });
  });

  describe('ranking', () => {
    const assertDescendingScores = (items: Hit[]) => {
      for (let index = 1; index < items.length; index++) assert.ok(items[index - 1]!.score >= items[index]!.score, JSON.stringify(items));
    };

    it('ranks an exact username above posts mentioning it, even often', async () => {
      const username = word();
      const person = await givenUser(svc, { username });
      const other = await givenUser(svc);
      const inPassing = postCreated(other, `Bumped into ${username} at the market yesterday, lovely chat about the weather`);
      const obsessed = postCreated(other, `${username} ${username} ${username} ${username} ${username}!`);
      await deliver(svc, inPassing, obsessed);
      const page = await eventually(async () => {
        const result = await search(svc, { q: username });
        assert.equal(result.items.length, 3, JSON.stringify(result.items));
        return result;
      });
      assert.deepEqual(ids(page)[0], person.id);
      assert.deepEqual(new Set(ids(page).slice(1)), new Set([inPassing.data.postId, obsessed.data.postId]));
      assertDescendingScores(page.items);
    });

    it('ranks a product whose name matches above one whose description does, even an older one', async () => {
      const seller = await givenUser(svc);
      const needle = word();
      const byName = productCreated(seller, { name: `${capitalized(needle)} reading lamp`, description: 'Warm light for long evenings', updatedAt: at(-60_000) });
      const byDescription = productCreated(seller, { name: 'Reading lamp', description: `Fits any ${needle} shade, warm light`, updatedAt: at() });
      await deliver(svc, byDescription, byName);
      const page = await search(svc, { q: needle, type: 'products' });
      assert.deepEqual(ids(page), [byName.data.productId, byDescription.data.productId]);
      assertDescendingScores(page.items);
    });

    it('breaks ties by recency, newest first, then by id', async () => {
      const author = await givenUser(svc);
      const needle = word();
      const older = postCreated(author, `${needle} tie`, { createdAt: at(-10_000) });
      const newer = postCreated(author, `${needle} tie`, { createdAt: at() });
      const sameTime = at(-5_000);
      const twins = [postCreated(author, `${needle} tie`, { createdAt: sameTime }), postCreated(author, `${needle} tie`, { createdAt: sameTime })];
      await deliver(svc, older, newer, ...twins);
      const page = await found(svc, needle, older.data.postId);
      const [first, second] = twins.map((twin) => twin.data.postId).sort().reverse();
      assert.deepEqual(ids(page), [newer.data.postId, first, second, older.data.postId]);
      assert.equal(new Set(page.items.map((item) => item.score)).size, 1);
    });
  });

  describe('type filter and mixed results', () => {
    it('mixes people, posts and products by score without a type, and keeps to one kind with it', async () => {
      const needle = word();
      const person = await givenUser(svc, { displayName: `${capitalized(needle)} Fan` });
      const post = postCreated(person, `All about ${needle} today`);
      const product = productCreated(person, { name: `${capitalized(needle)} mug`, description: 'Holds coffee' });
      await deliver(svc, post, product);
      const all = await eventually(async () => {
        const page = await search(svc, { q: needle });
        assert.equal(page.items.length, 3, JSON.stringify(page.items));
        return page;
      });
      assert.deepEqual(new Set(all.items.map((item) => item.kind)), new Set(['user', 'post', 'product']));
      assert.equal(all.items.at(-1)!.id, post.data.postId, 'the names outrank the text');

      assert.deepEqual(ids(await search(svc, { q: needle, type: 'users' })), [person.id]);
      assert.deepEqual(ids(await search(svc, { q: needle, type: 'posts' })), [post.data.postId]);
      assert.deepEqual(ids(await search(svc, { q: needle, type: 'products' })), [product.data.productId]);
    });
  });

  describe('paging', () => {
    it('pages the ranked list with limit and an opaque cursor, to the end', async () => {
      const author = await givenUser(svc);
      const needle = word();
      const posts = Array.from({ length: 5 }, (_, index) => postCreated(author, `${needle} number ${index}`, { createdAt: at(index * 1_000 - 10_000) }));
      await deliver(svc, ...posts);
      const whole = await search(svc, { q: needle, limit: 10 });
      assert.equal(whole.items.length, 5);
      assert.equal(whole.nextCursor, null);

      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: Awaited<ReturnType<typeof search>> = await search(svc, { q: needle, limit: 2, ...(cursor ? { cursor } : {}) });
        assert.ok(page.items.length <= 2);
        seen.push(...ids(page));
        cursor = page.nextCursor;
        pages++;
      } while (cursor !== null && pages < 10);
      assert.equal(pages, 3);
      assert.deepEqual(seen, ids(whole));
      assert.deepEqual(seen, posts.map((post) => post.data.postId).reverse(), 'equal scores: newest first');
    });

    it('serves 20 hits by default, and no more than the first 1,000 hits of a query', async () => {
      const author = await givenUser(svc);
      const needle = word();
      const posts = Array.from({ length: 22 }, (_, index) => postCreated(author, `${needle} again ${index}`));
      await deliver(svc, ...posts);
      const first = await search(svc, { q: needle });
      assert.equal(first.items.length, 20);
      assert.notEqual(first.nextCursor, null);
      const rest = await search(svc, { q: needle, cursor: first.nextCursor! });
      assert.equal(rest.items.length, 2);
      assert.equal(rest.nextCursor, null);

      const deep = await search(svc, { q: 'again', cursor: Buffer.from('998').toString('base64url'), limit: 5 });
      assert.equal(deep.nextCursor, null);
      assert.ok(deep.items.length <= 2);
    });

    it('answers 400 for a cursor it never gave out', async () => {
      for (const cursor of ['nope', Buffer.from('0').toString('base64url'), Buffer.from('1000').toString('base64url'), Buffer.from('-5').toString('base64url'), 'x'.repeat(513)]) {
        expectProblem(await svc.request('GET', `${SEARCH}?q=anything&cursor=${cursor}`), 400, 'VALIDATION.FAILED');
      }
    });
  });

  describe('validation', () => {
    it('needs q of 1–200 characters once trimmed', async () => {
      for (const url of [SEARCH, `${SEARCH}?q=`, `${SEARCH}?q=%20%20%20`, `${SEARCH}?q=${'a'.repeat(201)}`, `${SEARCH}?q=${'a'.repeat(1_001)}`, `${SEARCH}?type=posts`]) {
        const response = await svc.request('GET', url);
        expectProblem(response, 400, 'VALIDATION.FAILED');
        assert.ok(response.json().errors.some((error: { path: string }) => error.path.includes('q')), response.body);
      }
      assert.equal((await svc.request('GET', `${SEARCH}?q=${'a'.repeat(200)}`)).statusCode, 200);
      assert.equal((await svc.request('GET', `${SEARCH}?q=${encodeURIComponent(`  ${'a'.repeat(200)}  `)}`)).statusCode, 200);
    });

    it('refuses an unknown type, a bad limit and unknown parameters', async () => {
      for (const query of ['type=post', 'type=all', 'type=', 'limit=0', 'limit=101', 'limit=two', 'page=2', 'q=x&q=y']) {
        expectProblem(await svc.request('GET', `${SEARCH}?q=hello&${query}`), 400, 'VALIDATION.FAILED');
      }
    });

    it('documents the route with every status it answers in its OpenAPI document', async () => {
      const response = await svc.request('GET', '/openapi.json');
      assert.equal(response.statusCode, 200);
      const operation = response.json().paths[SEARCH]?.get;
      assert.ok(operation, Object.keys(response.json().paths).join(', '));
      assert.deepEqual(Object.keys(operation.responses).sort(), ['200', '400', '401']);
      assert.deepEqual(operation.parameters.map((parameter: { name: string }) => parameter.name).sort(), ['cursor', 'limit', 'q', 'type']);
    });

    it('needs no token, but refuses a bad one with 401', async () => {
      const user = await givenUser(svc);
      assert.equal((await svc.request('GET', `${SEARCH}?q=hello`, { token: user.accessToken })).statusCode, 200);
      expectProblem(await svc.request('GET', `${SEARCH}?q=hello`, { token: 'not.a.token' }), 401, 'AUTH.INVALID_TOKEN');
    });

    it('never answers 5xx, whatever the query holds', async () => {
      const author = await givenUser(svc);
      await deliver(svc, postCreated(author, 'something to find: o\'neil & co (2024) "quoted" c:* <-> !x'));
      const queries = [
        '&|!():*\'"\\',
        '\'',
        '"',
        '"unbalanced',
        '\\',
        ':*',
        'a:*',
        'foo:*b',
        '!x',
        '!!',
        '(a | b) & !c',
        'a <-> b',
        '<->',
        'foo & | bar',
        'or',
        'or or -',
        '- - -',
        '-"a b"',
        '\'; drop table users; --',
        'o\'neil',
        '%',
        '_',
        '%_%',
        'a\u0000b',
        '🙂 emoji 🚀',
        'naïve café',
        '中文 検索',
        'ﷺ',
        '\u202e reversed',
        'a'.repeat(200),
        `${'word '.repeat(40)}`.trim(),
        '0',
        '1e5',
        '-1',
        'NULL',
        'undefined',
      ];
      for (const q of queries) {
        for (const type of [undefined, 'posts', 'users', 'products']) {
          const response = await svc.request('GET', `${SEARCH}?q=${encodeURIComponent(q)}${type ? `&type=${type}` : ''}`);
          assert.equal(response.statusCode, 200, `${JSON.stringify(q)}: ${response.statusCode} ${response.body}`);
        }
      }
      for (const onlyControl of ['\u0000', '\u0001\u001f\u007f', '\t\n\r']) {
        expectProblem(await svc.request('GET', `${SEARCH}?q=${encodeURIComponent(onlyControl)}`), 400, 'VALIDATION.FAILED');
      }
      for (const url of [
        `${SEARCH}?q=%ED%A0%80`,
        `${SEARCH}?q=%FF%FE`,
        `${SEARCH}?q=%`,
        `${SEARCH}?q=%zz`,
        `${SEARCH}?q[]=x`,
        `${SEARCH}?q[a]=x`,
        `${SEARCH}?q=x&limit=1e2`,
        `${SEARCH}?q=x&limit=-1`,
        `${SEARCH}?q=x&limit=99999999999999999999`,
        `${SEARCH}?q=x&cursor=%00`,
        `${SEARCH}?q=x&cursor=${Buffer.from('99999999999999999999').toString('base64url')}`,
        `${SEARCH}?q=x&type[]=posts`,
        `${SEARCH}/%00`,
        `${SEARCH}/anything`,
      ]) {
        const response = await svc.request('GET', url);
        assert.ok(response.statusCode < 500, `${url}: ${response.statusCode} ${response.body}`);
      }
      assert.deepEqual(
        svc.answered.filter((entry) => entry.status >= 500),
        [],
      );
    });
  });
});

