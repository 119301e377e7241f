/** API.md's timelines: the home feed (fan-out on write, kept right by follows, unfollows and deletions) and a user's posts, with their paging. */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { createEvent } from '@agora/kit/bus/outbox';
import { eventually, expectProblem, type GivenUser } from '@agora/kit/testing/service-harness';
import {
  API,
  Given,
  edgeState,
  entriesOfPost,
  fannedOut,
  feedEntries,
  feedIds,
  page,
  processed,
  startPosts,
  type PageBody,
  type PostBody,
  type PostsUnderTest,
} from './support/posts.ts';

describe('posts: timelines', () => {
  let svc: PostsUnderTest;
  let given: Given;
  before(async () => {
    svc = await startPosts();
    given = new Given(svc);
  });
  after(async () => {
    await svc?.close();
  });

  /** Posts one after another (distinct createdAt), oldest first. */
  async function postMany(author: GivenUser, count: number): Promise<PostBody[]> {
    const posts: PostBody[] = [];
    for (let i = 0; i < count; i++) {
      posts.push(await given.post(author, `post ${i}`));
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    return posts;
  }

  const newestFirst = (posts: PostBody[]) => posts.map((post) => post.id).reverse();

  describe('GET /feed', () => {
    it('fans a post out to the author’s followers and to no one else', async () => {
      const author = await given.author();
      const fans = [await given.author(), await given.author()];
      const stranger = await given.author();
      for (const fan of fans) await given.follow(fan, author);
      await given.follow(stranger, fans[0]!);

      const post = await given.post(author, 'for my followers');
      await eventually(async () => assert.deepEqual(await entriesOfPost(svc, post.id), fans.map((fan) => fan.id).sort()));
      for (const fan of fans) {
        const feed = await page(svc, `${API}/feed`, fan.accessToken);
        assert.deepEqual(feed.items.map((item) => item.id), [post.id]);
        assert.equal(feed.items[0]!.author.id, author.id);
        assert.equal(feed.nextCursor, null);
      }
      assert.deepEqual(await feedIds(svc, stranger), []);
      assert.deepEqual(await feedEntries(svc, stranger.id), []);
    });

    it('shows your own posts, merged when read rather than written to your feed', async () => {
      const me = await given.author();
      const friend = await given.author();
      await given.follow(me, friend);
      const mine = await given.post(me, 'mine');
      const theirs = await given.post(friend, 'theirs');
      // Shown at once: a post not fanned out yet is merged in when the feed is read.
      assert.deepEqual(await feedIds(svc, me), [theirs.id, mine.id]);
      await fannedOut(svc, mine.id);
      await fannedOut(svc, theirs.id);
      assert.deepEqual(await feedIds(svc, me), [theirs.id, mine.id]);
      assert.deepEqual(await feedEntries(svc, me.id), [theirs.id]);
      assert.deepEqual(await entriesOfPost(svc, mine.id), []);
    });

    it('takes an author’s posts out of the feed on unfollow, and backfills their 20 most recent on follow', async () => {
      const author = await given.author();
      const fan = await given.author();
      const posts = await postMany(author, 22);
      for (const post of posts) await fannedOut(svc, post.id);

      await given.follow(fan, author);
      const recent = newestFirst(posts).slice(0, 20);
      assert.deepEqual(await feedEntries(svc, fan.id), [...recent].sort());
      assert.deepEqual(await feedIds(svc, fan, '?limit=100'), recent);

      await given.unfollow(fan, author);
      assert.deepEqual(await feedEntries(svc, fan.id), []);
      assert.deepEqual(await feedIds(svc, fan), []);

      const later = await given.post(author, 'after the unfollow');
      await fannedOut(svc, later.id);
      assert.deepEqual(await feedIds(svc, fan), []);
    });

    it('drops a deleted post from every feed at once', async () => {
      const author = await given.author();
      const fan = await given.author();
      await given.follow(fan, author);
      const kept = await given.post(author, 'kept');
      const doomed = await given.post(author, 'doomed');
      await eventually(async () => assert.deepEqual(await feedIds(svc, fan), [doomed.id, kept.id]));
      assert.equal((await svc.request('DELETE', `${API}/posts/${doomed.id}`, { token: author.accessToken })).statusCode, 204);
      assert.deepEqual(await feedIds(svc, fan), [kept.id]);
      assert.deepEqual(await feedIds(svc, author), [kept.id]);
    });

    it('keeps an unfollow that overtook its follow, and takes follow events twice as once', async () => {
      const author = await given.author();
      const fan = await given.author();
      const post = await given.post(author);
      await fannedOut(svc, post.id);
      const followed = createEvent('user.followed', { followerId: fan.id, followeeId: author.id }, { producer: 'users' });
      const unfollowed = createEvent('user.unfollowed', { followerId: fan.id, followeeId: author.id }, { producer: 'users' });
      followed.occurredAt = new Date(Date.parse(unfollowed.occurredAt) - 1_000).toISOString();
      await svc.redeliver(unfollowed);
      await eventually(async () => assert.ok(await processed(svc, unfollowed.id)));
      await svc.redeliver(followed);
      await svc.redeliver(followed);
      await eventually(async () => assert.ok(await processed(svc, followed.id)));
      assert.equal(await edgeState(svc, fan.id, author.id), false);
      assert.deepEqual(await feedIds(svc, fan), []);

      // A new follow (a newer event) counts, once however often it comes.
      const again = createEvent('user.followed', { followerId: fan.id, followeeId: author.id }, { producer: 'users' });
      await svc.redeliver(again);
      await svc.redeliver(again);
      await svc.publish('user.followed', { followerId: fan.id, followeeId: author.id }, 'users');
      await eventually(async () => assert.deepEqual(await feedIds(svc, fan), [post.id]));
      assert.equal(await followerCount(author.id), 1);
    });

    it('needs a token: 401 without one', async () => {
      expectProblem(await svc.request('GET', `${API}/feed`), 401, 'AUTH.REQUIRED');
    });
  });

  describe('paging', () => {
    async function walk(url: string, token?: string): Promise<{ ids: string[]; pages: number }> {
      const ids: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const separator = url.includes('?') ? '&' : '?';
        const result: PageBody = await page(svc, cursor ? `${url}${separator}cursor=${cursor}` : url, token);
        ids.push(...result.items.map((item) => item.id));
        cursor = result.nextCursor;
        pages++;
      } while (cursor !== null && pages < 20);
      return { ids, pages };
    }

    it('pages the home feed newest first with a cursor and with an offset', async () => {
      const reader = await given.author();
      const friend = await given.author();
      await given.follow(reader, friend);
      const posts: PostBody[] = [];
      for (let i = 0; i < 7; i++) {
        posts.push(await given.post(i % 2 === 0 ? friend : reader, `post ${i}`));
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      const all = newestFirst(posts);
      await eventually(async () => assert.deepEqual(await feedIds(svc, reader), all));

      assert.deepEqual(await walk(`${API}/feed?limit=3`, reader.accessToken), { ids: all, pages: 3 });
      assert.deepEqual(await feedIds(svc, reader, '?offset=2&limit=3'), all.slice(2, 5));
      assert.deepEqual(await feedIds(svc, reader, '?offset=5'), all.slice(5));
      assert.deepEqual(await feedIds(svc, reader, '?offset=7'), []);
      const last = await page(svc, `${API}/feed?offset=4&limit=3`, reader.accessToken);
      assert.equal(last.nextCursor, null);
      const middle = await page(svc, `${API}/feed?offset=1&limit=3`, reader.accessToken);
      assert.ok(middle.nextCursor);
      assert.deepEqual((await page(svc, `${API}/feed?limit=3&cursor=${middle.nextCursor}`, reader.accessToken)).items.map((item) => item.id), all.slice(4, 7));
    });

    it('pages a user’s posts newest first with a cursor and with an offset, to anyone', async () => {
      const author = await given.author();
      const posts = await postMany(author, 5);
      const all = newestFirst(posts);
      assert.deepEqual(await walk(`${API}/users/${author.id}/posts?limit=2`), { ids: all, pages: 3 });
      assert.deepEqual((await page(svc, `${API}/users/${author.id}/posts?limit=2&offset=1`)).items.map((item) => item.id), all.slice(1, 3));
      assert.deepEqual((await page(svc, `${API}/users/${author.id}/posts`)).items.map((item) => item.id), all);
    });

    it('shows likedByMe on a user’s posts for the caller', async () => {
      const author = await given.author();
      const fan = await given.author();
      const post = await given.post(author);
      await svc.publish('post.liked', { postId: post.id, postAuthorId: author.id, userId: fan.id, at: new Date().toISOString() }, 'likes');
      await eventually(async () => assert.equal((await page(svc, `${API}/users/${author.id}/posts`, fan.accessToken)).items[0]!.likedByMe, true));
      assert.equal((await page(svc, `${API}/users/${author.id}/posts`)).items[0]!.likedByMe, false);
      assert.equal((await page(svc, `${API}/feed`, fan.accessToken)).items.length, 0);
    });

    it('refuses a cursor with an offset, a cursor it never gave out and limits or offsets out of range with 400', async () => {
      const author = await given.author();
      await postMany(author, 2);
      const first = await page(svc, `${API}/users/${author.id}/posts?limit=1`);
      assert.ok(first.nextCursor);
      for (const base of [`${API}/users/${author.id}/posts`, `${API}/feed`]) {
        for (const query of [
          `cursor=${first.nextCursor}&offset=0`,
          `cursor=${first.nextCursor}&offset=3`,
          'cursor=not-a-cursor',
          `cursor=${Buffer.from('2020-01-01T00:00:00.000Z|nope').toString('base64url')}`,
          `cursor=${Buffer.from(`yesterday|${randomUUID()}`).toString('base64url')}`,
          'limit=0',
          'limit=101',
          'limit=abc',
          'offset=-1',
          'offset=1001',
          'offset=1.5',
          'page=2',
        ]) {
          expectProblem(await svc.request('GET', `${base}?${query}`, { token: author.accessToken }), 400, 'VALIDATION.FAILED');
        }
      }
      assert.equal((await page(svc, `${API}/users/${author.id}/posts?offset=1000`)).items.length, 0);
    });
  });

  describe('GET /users/:id/posts', () => {
    it('answers 404 POSTS.AUTHOR_NOT_FOUND for a user posts doesn’t know, 400 for a malformed id, and an empty page for a user without posts', async () => {
      expectProblem(await svc.request('GET', `${API}/users/${randomUUID()}/posts`), 404, 'POSTS.AUTHOR_NOT_FOUND');
      expectProblem(await svc.request('GET', `${API}/users/nobody/posts`), 400, 'VALIDATION.FAILED');
      const quiet = await given.author();
      assert.deepEqual(await page(svc, `${API}/users/${quiet.id}/posts`), { items: [], nextCursor: null });
    });
  });

  async function followerCount(userId: string): Promise<number> {
    const result = await svc.database.db.execute<{ followers: number }>(sql`select followers from follower_counts where user_id = ${userId}::uuid`);
    return Number(result.rows[0]?.followers ?? 0);
  }
});

describe('posts: the hybrid home feed (FEED_FANOUT_LIMIT=2)', () => {
  let svc: PostsUnderTest;
  let given: Given;
  before(async () => {
    svc = await startPosts({ FEED_FANOUT_LIMIT: '2' });
    given = new Given(svc);
  });
  after(async () => {
    await svc?.close();
  });

  it('writes no feed entries for an author at the limit, yet shows their posts to their followers only', async () => {
    const star = await given.author();
    const fans = [await given.author(), await given.author()];
    const stranger = await given.author();
    for (const fan of fans) await given.follow(fan, star);

    const post = await given.post(star, 'to the masses');
    await fannedOut(svc, post.id);
    assert.deepEqual(await entriesOfPost(svc, post.id), []);
    for (const fan of fans) assert.deepEqual(await feedIds(svc, fan), [post.id]);
    assert.deepEqual(await feedIds(svc, stranger), []);
    assert.deepEqual(await feedIds(svc, star), [post.id]);
  });

  it('still fans out an author below the limit', async () => {
    const author = await given.author();
    const fan = await given.author();
    await given.follow(fan, author);
    const post = await given.post(author);
    await fannedOut(svc, post.id);
    assert.deepEqual(await entriesOfPost(svc, post.id), [fan.id]);
  });

  it('shows each post once when an author crosses the limit, and keeps the feed right on unfollow', async () => {
    const author = await given.author();
    const early = await given.author();
    const late = await given.author();
    await given.follow(early, author);
    const before = await given.post(author, 'before the limit');
    await fannedOut(svc, before.id);
    assert.deepEqual(await entriesOfPost(svc, before.id), [early.id]);

    await given.follow(late, author);
    const afterward = await given.post(author, 'after the limit');
    await fannedOut(svc, afterward.id);
    assert.deepEqual(await entriesOfPost(svc, afterward.id), []);
    // The newcomer got the fanned-out post by backfill; the other is merged when read.
    assert.deepEqual(await entriesOfPost(svc, before.id), [early.id, late.id].sort());
    for (const fan of [early, late]) assert.deepEqual(await feedIds(svc, fan), [afterward.id, before.id]);

    await given.unfollow(early, author);
    assert.deepEqual(await feedIds(svc, early), []);
    assert.deepEqual(await feedIds(svc, late), [afterward.id, before.id]);
  });

  it('pages merged feeds with cursor and offset alike', async () => {
    const star = await given.author();
    const small = await given.author();
    const reader = await given.author();
    const other = await given.author();
    await given.follow(reader, star);
    await given.follow(other, star);
    await given.follow(reader, small);
    const posts: PostBody[] = [];
    for (let i = 0; i < 6; i++) {
      posts.push(await given.post([star, small, reader][i % 3]!, `post ${i}`));
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const all = posts.map((post) => post.id).reverse();
    await eventually(async () => assert.deepEqual(await feedIds(svc, reader), all));
    const first = await page(svc, `${API}/feed?limit=4`, reader.accessToken);
    assert.deepEqual(first.items.map((item) => item.id), all.slice(0, 4));
    const second = await page(svc, `${API}/feed?limit=4&cursor=${first.nextCursor}`, reader.accessToken);
    assert.equal(second.nextCursor, null);
    assert.deepEqual(second.items.map((item) => item.id), all.slice(4));
    assert.deepEqual(await feedIds(svc, reader, '?offset=3&limit=2'), all.slice(3, 5));
  });
});
