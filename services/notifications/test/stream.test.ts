/**
 * GET /notifications/stream over real loopback connections read with fetch: live events, replay
 * after Last-Event-ID, heartbeats, streams ending with their session and with the app, and the
 * live path across two instances of the service sharing database, bus and stores (pub/sub on
 * Redis when REDIS_URL is set).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { EventBus } from '@agora/kit/bus/types';
import type { HttpApp } from '@agora/kit/http/app';
import { createLogger } from '@agora/kit/logger';
import { createRevocationList } from '@agora/kit/store/revocation';
import { eventually, expectProblem, type GivenUser } from '@agora/kit/testing/service-harness';
import { notificationsModule } from '../src/module.ts';
import { at, deliver, eventOf, givenKnownUser, inbox, listen, NOTIFICATIONS, startNotifications, StreamClient, type Service } from './support/notifications.ts';

const TEST_TIMEOUT = { timeout: 20_000 };

describe('notifications: GET /notifications/stream', () => {
  let svc: Service;
  let base: string;
  const clients: StreamClient[] = [];
  const instances: HttpApp[] = [];

  before(async () => {
    svc = await startNotifications({ STREAM_HEARTBEAT_MS: '100' });
    base = await listen(svc.app);
  });
  after(async () => {
    for (const client of clients) client.close();
    for (const instance of instances) await instance.close();
    await svc?.close();
  });

  const open = async (token: string | undefined, headers: Record<string, string> = {}, at = base): Promise<StreamClient> => {
    const client = await StreamClient.open(at, token, headers);
    clients.push(client);
    return client;
  };
  const givenUser = () => givenKnownUser(svc);
  const like = (author: GivenUser, user: GivenUser) => eventOf('post.liked', { postId: randomUUID(), postAuthorId: author.id, userId: user.id, at: at(0) });

  /** Another instance of the service on the same database, bus and stores, listening on its own port. */
  const secondInstance = async (bus: EventBus = svc.bus): Promise<{ app: HttpApp; base: string }> => {
    const app = await notificationsModule.buildApp({
      config: svc.config,
      logger: createLogger('notifications-b', process.env['TEST_LOG_LEVEL'] ?? 'silent'),
      database: svc.database,
      bus,
      stores: svc.stores,
      clock: svc.clock,
    });
    instances.push(app);
    return { app, base: await listen(app) };
  };

  const openStreams = async (app: HttpApp): Promise<number> => {
    const response = await app.inject({ method: 'GET', url: '/metrics' });
    const line = response.body.split('\n').find((text) => /^notification_streams_open[{ ]/.test(text));
    assert.ok(line, 'no open-streams gauge in /metrics');
    return Number(line.split(' ').at(-1));
  };

  it('sends a new notification as an event whose id and data are the list’s item', TEST_TIMEOUT, async () => {
    const alice = await givenUser();
    const bob = await givenUser();
    const stream = await open(alice.accessToken);
    assert.equal(stream.response.status, 200);
    assert.match(stream.response.headers.get('content-type') ?? '', /^text\/event-stream/);
    assert.equal(stream.response.headers.get('cache-control'), 'no-cache');
    assert.equal(stream.response.headers.get('x-accel-buffering'), 'no');
    assert.ok(stream.response.headers.get('x-request-id'));

    await deliver(svc, eventOf('user.followed', { followerId: bob.id, followeeId: alice.id }));
    const event = await stream.next();
    const [item] = (await inbox(svc, alice.accessToken)).items;
    assert.equal(event.event, 'notification');
    assert.equal(event.id, item.id);
    assert.deepEqual(event.notification, item);
    assert.equal(event.notification.type, 'follow');
    assert.equal(event.notification.actor.id, bob.id);
  });

  it('sends each user only their own, to every stream they have open', TEST_TIMEOUT, async () => {
    const alice = await givenUser();
    const carol = await givenUser();
    const bob = await givenUser();
    const aliceOne = await open(alice.accessToken);
    const aliceTwo = await open(alice.accessToken);
    const carols = await open(carol.accessToken);
    await deliver(svc, like(alice, bob));
    await deliver(svc, like(carol, bob));
    const [forAlice] = (await inbox(svc, alice.accessToken)).items;
    const [forCarol] = (await inbox(svc, carol.accessToken)).items;
    assert.equal((await aliceOne.next()).id, forAlice.id);
    assert.equal((await aliceTwo.next()).id, forAlice.id);
    // Had alice's reached carol's stream, it would have come first.
    assert.equal((await carols.next()).id, forCarol.id);
  });

  it('replays what came after Last-Event-ID, oldest first, then goes live', TEST_TIMEOUT, async () => {
    const alice = await givenUser();
    const bob = await givenUser();
    for (let i = 0; i < 3; i++) await deliver(svc, like(alice, bob));
    const [third, second, first] = (await inbox(svc, alice.accessToken)).items;
    await svc.request('POST', `${NOTIFICATIONS}/read`, { token: alice.accessToken, body: { ids: [second.id] } });

    const stream = await open(alice.accessToken, { 'last-event-id': first.id });
    const replayed = [await stream.next(), await stream.next()];
    assert.deepEqual(
      replayed.map((event) => [event.id, event.notification.read]),
      [
        [second.id, true],
        [third.id, false],
      ],
    );
    await deliver(svc, like(alice, bob));
    const live = await stream.next();
    assert.equal(live.id, (await inbox(svc, alice.accessToken)).items[0].id);
    assert.ok(live.id > third.id);
  });

  it('sends a comment line every heartbeat', TEST_TIMEOUT, async () => {
    const alice = await givenUser();
    const stream = await open(alice.accessToken);
    await stream.comment(/^heartbeat$/);
  });

  it('ends a stream when its session is revoked', TEST_TIMEOUT, async () => {
    const alice = await givenUser();
    const sessionId = randomUUID();
    const stream = await open(await svc.token({ id: alice.id, sessionId }));
    assert.equal(stream.response.status, 200);
    await createRevocationList(svc.stores.kv).revoke(sessionId, 60_000);
    await stream.ended();
  });

  it('lets go of the subscription when the client goes away', TEST_TIMEOUT, async () => {
    const alice = await givenUser();
    const before = await openStreams(svc.app);
    const stream = await open(alice.accessToken);
    assert.equal(await openStreams(svc.app), before + 1);
    stream.close();
    await eventually(async () => assert.equal(await openStreams(svc.app), before));
  });

  it('answers 401 without a token and 400 for a Last-Event-ID that is no notification id', TEST_TIMEOUT, async () => {
    const anonymous = await fetch(`${base}${NOTIFICATIONS}/stream`);
    assert.equal(anonymous.status, 401);
    assert.match(anonymous.headers.get('content-type') ?? '', /application\/problem\+json/);
    assert.equal(((await anonymous.json()) as { code: string }).code, 'AUTH.REQUIRED');
    expectProblem(await svc.request('GET', `${NOTIFICATIONS}/stream`), 401, 'AUTH.REQUIRED');
    expectProblem(await svc.request('GET', `${NOTIFICATIONS}/stream`, { token: 'nope' }), 401, 'AUTH.INVALID_TOKEN');

    const alice = await givenUser();
    expectProblem(await svc.request('GET', `${NOTIFICATIONS}/stream`, { token: alice.accessToken, headers: { 'last-event-id': 'nope' } }), 400, 'VALIDATION.FAILED');
    expectProblem(await svc.request('GET', `${NOTIFICATIONS}/stream?x=1`, { token: alice.accessToken }), 400);
    assert.deepEqual(svc.answered.filter((answer) => answer.status >= 500), []);
  });

  describe('across instances', () => {
    it('streams from instance B a notification whose event instance A consumed', TEST_TIMEOUT, async () => {
      // B takes no events at all, so every notification reaches its stream through pub/sub.
      const notConsuming: EventBus = {
        kind: svc.bus.kind,
        deadLetters: svc.bus.deadLetters,
        publish: (envelope, headers) => svc.bus.publish(envelope, headers),
        consume: async () => ({ stop: async () => undefined }),
        isReady: () => svc.bus.isReady(),
        close: async () => undefined,
      };
      const b = await secondInstance(notConsuming);
      const alice = await givenUser();
      const bob = await givenUser();
      const stream = await open(alice.accessToken, {}, b.base);
      assert.equal(stream.response.status, 200);
      await deliver(svc, eventOf('comment.created', { commentId: randomUUID(), postId: randomUUID(), postAuthorId: alice.id, authorId: bob.id, text: 'Hi', createdAt: at(0) }));
      const event = await stream.next();
      assert.deepEqual(event.notification, (await inbox(svc, alice.accessToken)).items[0]);
      assert.equal(event.notification.actor.id, bob.id);
    });

    it('reaches a user’s streams on both instances whichever instance consumed each event', TEST_TIMEOUT, async () => {
      const b = await secondInstance();
      const alice = await givenUser();
      const bob = await givenUser();
      const onA = await open(alice.accessToken);
      const onB = await open(alice.accessToken, {}, b.base);
      const events = Array.from({ length: 4 }, () => like(alice, bob));
      await Promise.all(events.map((event) => svc.redeliver(event)));
      const expected = await eventually(async () => {
        const { items } = await inbox(svc, alice.accessToken);
        assert.equal(items.length, 4);
        return items.map((item) => item.id).sort();
      });
      for (const stream of [onA, onB]) {
        const seen = [];
        for (let i = 0; i < 4; i++) seen.push((await stream.next()).id);
        assert.deepEqual(seen.sort(), expected);
      }
    });

    it('closes an instance promptly with its streams open, ending them', TEST_TIMEOUT, async () => {
      const b = await secondInstance();
      const alice = await givenUser();
      const streams = [await open(alice.accessToken, {}, b.base), await open(alice.accessToken, {}, b.base)];
      instances.splice(instances.indexOf(b.app), 1);
      await b.app.close();
      for (const stream of streams) await stream.ended();
      // The instance that stayed still serves streams.
      const bob = await givenUser();
      const onA = await open(alice.accessToken);
      await deliver(svc, like(alice, bob));
      assert.equal((await onA.next()).notification.actor.id, bob.id);
    });
  });
});
