/**
 * The inbox as API.md's notifications section and the events behind it define it: which event
 * notifies whom of what, nobody of their own actions, duplicates and out-of-order delivery
 * harmless, taking back, actors shown as their profile is now, lists, marking read, erasure,
 * and bad input answered 4xx.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { and, eq } from 'drizzle-orm';
import { processedEvents } from '@agora/kit/bus/outbox.tables';
import { expectProblem, type GivenUser } from '@agora/kit/testing/service-harness';
import { at, deliver, eventOf, givenKnownUser, heldAbout, inbox, NOTIFICATIONS, startNotifications, type Service } from './support/notifications.ts';

describe('notifications: inbox', () => {
  let svc: Service;
  before(async () => {
    svc = await startNotifications();
  });
  after(async () => {
    await svc?.close();
  });

  const givenUser = () => givenKnownUser(svc);
  const summary = (user: GivenUser) => ({ id: user.id, username: user.username, displayName: user.displayName, avatarUrl: null });
  const like = (postId: string, author: GivenUser, user: GivenUser, offsetMs = 0) =>
    eventOf('post.liked', { postId, postAuthorId: author.id, userId: user.id, at: at(offsetMs) });
  const unlike = (postId: string, author: GivenUser, user: GivenUser, offsetMs = 0) =>
    eventOf('post.unliked', { postId, postAuthorId: author.id, userId: user.id, at: at(offsetMs) });
  const markRead = (token: string, body?: unknown) => svc.request('POST', `${NOTIFICATIONS}/read`, { token, ...(body === undefined ? {} : { body }) });

  describe('events that notify', () => {
    it('tells the followee of a new follower, with the follower as actor and subject', async () => {
      const alice = await givenUser();
      const bob = await givenUser();
      await deliver(svc, eventOf('user.followed', { followerId: bob.id, followeeId: alice.id }));
      const { items } = await inbox(svc, alice.accessToken);
      assert.equal(items.length, 1);
      const [item] = items;
      assert.deepEqual(Object.keys(item).sort(), ['actor', 'createdAt', 'id', 'read', 'subject', 'type']);
      assert.equal(item.type, 'follow');
      assert.deepEqual(item.actor, summary(bob));
      assert.deepEqual(item.subject, { type: 'user', id: bob.id });
      assert.equal(item.read, false);
      assert.ok(!Number.isNaN(Date.parse(item.createdAt)));
      assert.deepEqual((await inbox(svc, bob.accessToken)).items, []);
    });

    it('tells a post’s author of a like, and a comment’s author of a like on it', async () => {
      const alice = await givenUser();
      const bob = await givenUser();
      const postId = randomUUID();
      const commentId = randomUUID();
      await deliver(svc, like(postId, alice, bob));
      await deliver(svc, eventOf('comment.liked', { commentId, commentAuthorId: alice.id, postId: randomUUID(), userId: bob.id, at: at(0) }));
      const { items } = await inbox(svc, alice.accessToken);
      assert.deepEqual(
        items.map((item) => [item.type, item.actor.id, item.subject]),
        [
          ['like', bob.id, { type: 'comment', id: commentId }],
          ['like', bob.id, { type: 'post', id: postId }],
        ],
      );
    });

    it('tells a post’s author of a comment, with the comment as subject', async () => {
      const alice = await givenUser();
      const bob = await givenUser();
      const commentId = randomUUID();
      await deliver(svc, eventOf('comment.created', { commentId, postId: randomUUID(), postAuthorId: alice.id, authorId: bob.id, text: 'Hi', createdAt: at(0) }));
      const { items } = await inbox(svc, alice.accessToken);
      assert.deepEqual(
        items.map((item) => [item.type, item.actor, item.subject]),
        [['comment', summary(bob), { type: 'comment', id: commentId }]],
      );
    });

    it('never tells anyone of their own follow, like or comment', async () => {
      const alice = await givenUser();
      const postId = randomUUID();
      const commentId = randomUUID();
      await deliver(svc, eventOf('user.followed', { followerId: alice.id, followeeId: alice.id }));
      await deliver(svc, like(postId, alice, alice));
      await deliver(svc, eventOf('comment.created', { commentId, postId, postAuthorId: alice.id, authorId: alice.id, text: 'Me', createdAt: at(0) }));
      await deliver(svc, eventOf('comment.liked', { commentId, commentAuthorId: alice.id, postId, userId: alice.id, at: at(0) }));
      assert.deepEqual((await inbox(svc, alice.accessToken)).items, []);
    });

    it('makes one notification of a redelivered event, even one processed_events has forgotten', async () => {
      const alice = await givenUser();
      const bob = await givenUser();
      const liked = await deliver(svc, like(randomUUID(), alice, bob));
      await svc.redeliver(liked);
      await svc.database.db.delete(processedEvents).where(and(eq(processedEvents.consumer, 'notifications'), eq(processedEvents.eventId, liked.id)));
      await deliver(svc, liked);
      assert.equal((await inbox(svc, alice.accessToken)).items.length, 1);
    });

    it('shows the actor as their profile is now: renamed, with an avatar, and not undone by an older profile or a repeated registration arriving late', async () => {
      const alice = await givenUser();
      const bob = await givenUser();
      await deliver(svc, eventOf('user.followed', { followerId: bob.id, followeeId: alice.id }));
      const base = Date.now();
      const renamed = { userId: bob.id, username: bob.username, displayName: 'Bobby Tables', bio: 'new', avatarUrl: 'http://localhost:8080/media/bob.webp' };
      await deliver(svc, eventOf('profile.updated', renamed, new Date(base + 2_000)));
      await deliver(svc, eventOf('profile.updated', { ...renamed, displayName: 'Stale Bob', avatarUrl: null }, new Date(base + 1_000)));
      await deliver(
        svc,
        eventOf('user.registered', { userId: bob.id, email: 'bob@example.test', username: bob.username, displayName: 'Registered Bob', roles: ['user'], registeredAt: at(0) }),
      );
      const [item] = (await inbox(svc, alice.accessToken)).items;
      assert.deepEqual(item.actor, { id: bob.id, username: bob.username, displayName: 'Bobby Tables', avatarUrl: renamed.avatarUrl });
    });

    it('leaves the actor out until their profile arrives, then shows it', async () => {
      const alice = await givenUser();
      const carolId = randomUUID();
      await deliver(svc, eventOf('user.followed', { followerId: carolId, followeeId: alice.id }));
      const [before] = (await inbox(svc, alice.accessToken)).items;
      assert.equal(before.actor, undefined);
      assert.deepEqual(before.subject, { type: 'user', id: carolId });
      await deliver(
        svc,
        eventOf('user.registered', { userId: carolId, email: 'carol@example.test', username: 'carol', displayName: 'Carol', roles: ['user'], registeredAt: at(0) }),
      );
      const [after] = (await inbox(svc, alice.accessToken)).items;
      assert.deepEqual(after.actor, { id: carolId, username: 'carol', displayName: 'Carol', avatarUrl: null });
    });
  });

  describe('events that take back', () => {
    it('removes an unread notification when its follow, like or comment is taken back', async () => {
      const alice = await givenUser();
      const bob = await givenUser();
      const postId = randomUUID();
      const commentId = randomUUID();
      const likedCommentId = randomUUID();
      await deliver(svc, eventOf('user.followed', { followerId: bob.id, followeeId: alice.id }, new Date(Date.now() - 1_000)));
      await deliver(svc, like(postId, alice, bob, -1_000));
      await deliver(svc, eventOf('comment.liked', { commentId: likedCommentId, commentAuthorId: alice.id, postId, userId: bob.id, at: at(-1_000) }));
      await deliver(svc, eventOf('comment.created', { commentId, postId, postAuthorId: alice.id, authorId: bob.id, text: 'Hi', createdAt: at(-1_000) }));
      assert.equal((await inbox(svc, alice.accessToken)).items.length, 4);

      await deliver(svc, eventOf('user.unfollowed', { followerId: bob.id, followeeId: alice.id }));
      await deliver(svc, unlike(postId, alice, bob));
      await deliver(svc, eventOf('comment.unliked', { commentId: likedCommentId, commentAuthorId: alice.id, postId, userId: bob.id, at: at(0) }));
      await deliver(svc, eventOf('comment.deleted', { commentId, postId, authorId: bob.id, deletedAt: at(0) }));
      assert.deepEqual((await inbox(svc, alice.accessToken)).items, []);
    });

    it('keeps a notification already read, and tells of the same actor and thing once however often it is given again', async () => {
      const alice = await givenUser();
      const bob = await givenUser();
      const postId = randomUUID();
      await deliver(svc, like(postId, alice, bob, -3_000));
      assert.equal((await markRead(alice.accessToken)).statusCode, 204);
      await deliver(svc, unlike(postId, alice, bob, -2_000));
      await deliver(svc, like(postId, alice, bob, -1_000));
      const { items } = await inbox(svc, alice.accessToken);
      assert.deepEqual(
        items.map((item) => [item.type, item.read]),
        [['like', true]],
      );
    });

    it('notifies again when a like taken back while unread is given again', async () => {
      const alice = await givenUser();
      const bob = await givenUser();
      const postId = randomUUID();
      await deliver(svc, like(postId, alice, bob, -3_000));
      const [first] = (await inbox(svc, alice.accessToken)).items;
      await deliver(svc, unlike(postId, alice, bob, -2_000));
      await deliver(svc, like(postId, alice, bob, -1_000));
      const { items } = await inbox(svc, alice.accessToken);
      assert.equal(items.length, 1);
      assert.notEqual(items[0].id, first.id);
      assert.equal(items[0].read, false);
    });
  });

  describe('out-of-order delivery', () => {
    it('ignores a like (or follow, or comment like) that arrives after the newer change taking it back', async () => {
      const alice = await givenUser();
      const bob = await givenUser();
      const postId = randomUUID();
      const commentId = randomUUID();
      const base = Date.now();
      await deliver(svc, unlike(postId, alice, bob, 0));
      await deliver(svc, like(postId, alice, bob, -1_000));
      await deliver(svc, eventOf('comment.unliked', { commentId, commentAuthorId: alice.id, postId, userId: bob.id, at: at(0, base) }));
      await deliver(svc, eventOf('comment.liked', { commentId, commentAuthorId: alice.id, postId, userId: bob.id, at: at(-1_000, base) }));
      await deliver(svc, eventOf('user.unfollowed', { followerId: bob.id, followeeId: alice.id }, new Date(base)));
      await deliver(svc, eventOf('user.followed', { followerId: bob.id, followeeId: alice.id }, new Date(base - 1_000)));
      assert.deepEqual((await inbox(svc, alice.accessToken)).items, []);
    });

    it('ignores an old unlike arriving after a newer like', async () => {
      const alice = await givenUser();
      const bob = await givenUser();
      const postId = randomUUID();
      await deliver(svc, like(postId, alice, bob, 0));
      await deliver(svc, unlike(postId, alice, bob, -1_000));
      assert.deepEqual(
        (await inbox(svc, alice.accessToken)).items.map((item) => item.subject.id),
        [postId],
      );
    });

    it('keeps a deleted comment deleted when its comment.created arrives late', async () => {
      const alice = await givenUser();
      const bob = await givenUser();
      const commentId = randomUUID();
      const postId = randomUUID();
      await deliver(svc, eventOf('comment.deleted', { commentId, postId, authorId: bob.id, deletedAt: at(0) }));
      await deliver(svc, eventOf('comment.created', { commentId, postId, postAuthorId: alice.id, authorId: bob.id, text: 'Gone', createdAt: at(-1_000) }));
      assert.deepEqual((await inbox(svc, alice.accessToken)).items, []);
    });
  });

  describe('GET /notifications', () => {
    it('pages newest first with limit and an opaque cursor', async () => {
      const alice = await givenUser();
      const bob = await givenUser();
      const posts = Array.from({ length: 5 }, () => randomUUID());
      for (const postId of posts) await deliver(svc, like(postId, alice, bob));
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: { items: any[]; nextCursor: string | null } = await inbox(svc, alice.accessToken, `limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        assert.ok(page.items.length <= 2);
        seen.push(...page.items.map((item) => item.subject.id));
        cursor = page.nextCursor;
        pages++;
      } while (cursor !== null && pages < 10);
      assert.equal(pages, 3);
      assert.deepEqual(seen, [...posts].reverse());
      assert.equal((await inbox(svc, alice.accessToken)).items.length, 5, 'default limit 20');
    });

    it('lists only the unread with unread=true, in pages too, and everything with unread=false', async () => {
      const alice = await givenUser();
      const bob = await givenUser();
      const posts = Array.from({ length: 4 }, () => randomUUID());
      for (const postId of posts) await deliver(svc, like(postId, alice, bob));
      const all = (await inbox(svc, alice.accessToken)).items;
      assert.equal((await markRead(alice.accessToken, { ids: [all[1].id, all[3].id] })).statusCode, 204);

      const first = await inbox(svc, alice.accessToken, 'unread=true&limit=1');
      assert.deepEqual(first.items.map((item) => item.id), [all[0].id]);
      const second = await inbox(svc, alice.accessToken, `unread=true&limit=1&cursor=${first.nextCursor}`);
      assert.deepEqual(second.items.map((item) => item.id), [all[2].id]);
      assert.equal(second.nextCursor, null);
      assert.deepEqual(
        (await inbox(svc, alice.accessToken, 'unread=false')).items.map((item) => [item.id, item.read]),
        all.map((item, index) => [item.id, index % 2 === 1]),
      );
    });

    it('shows only the caller’s own', async () => {
      const alice = await givenUser();
      const bob = await givenUser();
      const carol = await givenUser();
      await deliver(svc, like(randomUUID(), alice, bob));
      await deliver(svc, like(randomUUID(), carol, bob));
      assert.equal((await inbox(svc, alice.accessToken)).items.length, 1);
      assert.equal((await inbox(svc, carol.accessToken)).items.length, 1);
      assert.deepEqual((await inbox(svc, bob.accessToken)).items, []);
    });

    it('answers 401 without a token or with a bad one', async () => {
      expectProblem(await svc.request('GET', NOTIFICATIONS), 401, 'AUTH.REQUIRED');
      expectProblem(await svc.request('GET', NOTIFICATIONS, { token: 'not.a.token' }), 401, 'AUTH.INVALID_TOKEN');
    });
  });

  describe('POST /notifications/read', () => {
    it('marks the given notifications read and leaves the others unread', async () => {
      const alice = await givenUser();
      const bob = await givenUser();
      for (let i = 0; i < 3; i++) await deliver(svc, like(randomUUID(), alice, bob));
      const all = (await inbox(svc, alice.accessToken)).items;
      const response = await markRead(alice.accessToken, { ids: [all[0].id, all[0].id] });
      assert.equal(response.statusCode, 204, response.body);
      assert.equal(response.body, '');
      assert.deepEqual(
        (await inbox(svc, alice.accessToken)).items.map((item) => item.read),
        [true, false, false],
      );
      assert.equal((await markRead(alice.accessToken, { ids: [] })).statusCode, 204);
      assert.equal((await inbox(svc, alice.accessToken, 'unread=true')).items.length, 2);
    });

    it('marks all of the caller’s read with an empty body or none at all, and no one else’s', async () => {
      const alice = await givenUser();
      const bob = await givenUser();
      const carol = await givenUser();
      for (let i = 0; i < 2; i++) await deliver(svc, like(randomUUID(), alice, bob));
      await deliver(svc, like(randomUUID(), carol, bob));
      assert.equal((await markRead(alice.accessToken, {})).statusCode, 204);
      assert.deepEqual((await inbox(svc, alice.accessToken, 'unread=true')).items, []);
      assert.equal((await inbox(svc, carol.accessToken, 'unread=true')).items.length, 1);

      await deliver(svc, like(randomUUID(), alice, bob));
      assert.equal((await markRead(alice.accessToken)).statusCode, 204);
      assert.deepEqual((await inbox(svc, alice.accessToken, 'unread=true')).items, []);
      assert.equal((await inbox(svc, carol.accessToken, 'unread=true')).items.length, 1);
    });

    it('ignores ids that are not the caller’s without saying so', async () => {
      const alice = await givenUser();
      const bob = await givenUser();
      const carol = await givenUser();
      await deliver(svc, like(randomUUID(), carol, bob));
      await deliver(svc, like(randomUUID(), alice, bob));
      const [carols] = (await inbox(svc, carol.accessToken)).items;
      const [alices] = (await inbox(svc, alice.accessToken)).items;
      const response = await markRead(alice.accessToken, { ids: [carols.id, randomUUID(), alices.id] });
      assert.equal(response.statusCode, 204);
      assert.equal((await inbox(svc, carol.accessToken)).items[0].read, false);
      assert.equal((await inbox(svc, alice.accessToken)).items[0].read, true);
    });

    it('answers 401 without a token', async () => {
      expectProblem(await markRead(''), 401, 'AUTH.REQUIRED');
    });
  });

  describe('user.deleted', () => {
    it('erases the user’s inbox and every notification they caused, and nothing else', async () => {
      const gone = await givenUser();
      const alice = await givenUser();
      const bob = await givenUser();
      await deliver(svc, like(randomUUID(), alice, gone));
      await deliver(svc, eventOf('user.followed', { followerId: gone.id, followeeId: alice.id }));
      await deliver(svc, like(randomUUID(), alice, bob));
      await deliver(svc, like(randomUUID(), gone, bob));
      await deliver(svc, eventOf('user.followed', { followerId: alice.id, followeeId: gone.id }));

      const deletion = eventOf('user.deleted', { userId: gone.id, deletedAt: at(0) });
      await deliver(svc, deletion);
      await deliver(svc, { ...deletion, id: randomUUID() });

      const left = (await inbox(svc, alice.accessToken)).items;
      assert.deepEqual(
        left.map((item) => item.actor.id),
        [bob.id],
      );
      assert.deepEqual((await inbox(svc, gone.accessToken)).items, []);
      assert.deepEqual(await heldAbout(svc, gone.id), { notifications: 0, authors: 0, activity: 0 });
    });

    it('lets no late event about an erased user notify anyone or bring their profile back', async () => {
      const gone = await givenUser();
      const alice = await givenUser();
      await deliver(svc, eventOf('user.deleted', { userId: gone.id, deletedAt: at(0) }));
      await deliver(svc, like(randomUUID(), alice, gone));
      await deliver(svc, eventOf('user.followed', { followerId: gone.id, followeeId: alice.id }));
      await deliver(svc, like(randomUUID(), gone, alice));
      await deliver(svc, eventOf('comment.created', { commentId: randomUUID(), postId: randomUUID(), postAuthorId: gone.id, authorId: alice.id, text: 'x', createdAt: at(0) }));
      await deliver(svc, eventOf('profile.updated', { userId: gone.id, username: gone.username, displayName: 'Back', bio: '', avatarUrl: null }));
      assert.deepEqual((await inbox(svc, alice.accessToken)).items, []);
      assert.deepEqual(await heldAbout(svc, gone.id), { notifications: 0, authors: 0, activity: 0 });
    });
  });

  describe('malformed input', () => {
    it('answers bad input with 400 problems, never a 5xx', async () => {
      const alice = await givenUser();
      const token = alice.accessToken;
      for (const query of ['limit=0', 'limit=101', 'limit=abc', 'cursor=not-a-cursor', `cursor=${'x'.repeat(600)}`, 'unread=maybe', 'unknown=1']) {
        expectProblem(await svc.request('GET', `${NOTIFICATIONS}?${query}`, { token }), 400, 'VALIDATION.FAILED');
      }
      const bodies: unknown[] = [
        { ids: ['nope'] },
        { ids: 'all' },
        { ids: [42] },
        { ids: Array.from({ length: 101 }, () => randomUUID()) },
        { ids: [randomUUID()], all: true },
        [],
        'null',
      ];
      for (const body of bodies) {
        const response = await svc.request('POST', `${NOTIFICATIONS}/read`, { token, body, headers: { 'content-type': 'application/json' } });
        assert.equal(response.statusCode, 400, `${JSON.stringify(body)}: ${response.body}`);
      }
      expectProblem(await svc.request('POST', `${NOTIFICATIONS}/read`, { token, body: '{"ids":', headers: { 'content-type': 'application/json' } }), 400);
      expectProblem(await svc.request('POST', `${NOTIFICATIONS}/read`, { token, body: 'ids=1', headers: { 'content-type': 'text/plain' } }), 400, 'VALIDATION.FAILED');
      expectProblem(await svc.request('POST', `${NOTIFICATIONS}/read`, { token, body: '<ids/>', headers: { 'content-type': 'application/xml' } }), 415);
      expectProblem(await svc.request('POST', `${NOTIFICATIONS}/read`, { token, body: `{"ids":[${'"x",'.repeat(400_000)}"x"]}`, headers: { 'content-type': 'application/json' } }), 413);
      expectProblem(await svc.request('GET', `${NOTIFICATIONS}/${randomUUID()}`, { token }), 404);
      assert.ok(svc.answered.length > 0);
      assert.deepEqual(svc.answered.filter((answer) => answer.status >= 500), []);
    });
  });
});
