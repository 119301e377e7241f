/**
 * The read model behind search, fed by events delivered at least once and in any order:
 * deletions make things disappear for good, the newest version wins, duplicates change nothing,
 * and posts show their author as they are named now.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { eventually } from '@agora/kit/testing/service-harness';
import {
  at,
  capitalized,
  deliver,
  envelope,
  found,
  gone,
  givenUser,
  ids,
  postCreated,
  productCreated,
  search,
  startSearch,
  word,
  type Search,
} from './support/search.ts';

describe('search: the read model', () => {
  let svc: Search;
  before(async () => {
    svc = await startSearch();
  });
  after(async () => {
    await svc?.close();
  });

  const finds = async (q: string, id: string) => ids(await search(svc, { q, limit: 100 })).includes(id);

  describe('deletions', () => {
    it('drops a post on post.deleted, and a late post.created or post.updated brings nothing back', async () => {
      const author = await givenUser(svc);
      const needle = word();
      const created = postCreated(author, `${needle} soon gone`);
      await deliver(svc, created);
      await found(svc, needle, created.data.postId);

      const { postId } = created.data;
      await deliver(svc, envelope('post.deleted', { postId, authorId: author.id, mediaIds: [], deletedAt: at() }, 'posts'));
      assert.equal(await finds(needle, postId), false);

      const fresh = word();
      await deliver(svc, created, envelope('post.updated', { postId, authorId: author.id, text: `${fresh} revived`, updatedAt: at(60_000) }, 'posts'));
      assert.equal(await finds(needle, postId), false);
      assert.equal(await finds(fresh, postId), false);
    });

    it('drops a product on product.deleted, and a late product.updated brings nothing back', async () => {
      const seller = await givenUser(svc);
      const needle = word();
      const created = productCreated(seller, { name: `${capitalized(needle)} stool`, description: 'Three legs' });
      await deliver(svc, created);
      await found(svc, needle, created.data.productId);

      const { productId } = created.data;
      await deliver(svc, envelope('product.deleted', { productId, sellerId: seller.id, deletedAt: at() }, 'catalog'));
      assert.equal(await finds(needle, productId), false);

      await deliver(svc, envelope('product.updated', { ...created.data, name: `${capitalized(needle)} stool v2`, updatedAt: at(60_000) }, 'catalog'));
      assert.equal(await finds(needle, productId), false);
    });

    it('erases a user with their posts and products on user.deleted, for good', async () => {
      const username = word();
      const user = await givenUser(svc, { username });
      const needle = word();
      const post = postCreated(user, `${needle} by someone leaving`);
      const product = productCreated(user, { name: `${capitalized(needle)} vase`, description: 'Blue' });
      const bystander = await givenUser(svc);
      const kept = postCreated(bystander, `${needle} by someone staying`);
      await deliver(svc, post, product, kept);
      await found(svc, username, user.id);
      await eventually(async () => assert.deepEqual(new Set(ids(await search(svc, { q: needle, limit: 100 }))), new Set([post.data.postId, product.data.productId, kept.data.postId])));

      await deliver(svc, envelope('user.deleted', { userId: user.id, deletedAt: at() }, 'identity'));
      assert.equal(await finds(username, user.id), false);
      assert.deepEqual(ids(await search(svc, { q: needle, limit: 100 })), [kept.data.postId]);

      // Whatever of theirs arrives late stays erased.
      const late = word();
      await deliver(
        svc,
        envelope('user.registered', { userId: user.id, email: 'late@example.test', username, displayName: 'Back Again', roles: ['user'], registeredAt: at(-60_000) }, 'identity'),
        envelope('profile.updated', { userId: user.id, username, displayName: `${capitalized(late)} Again`, bio: '', avatarUrl: null }, 'users'),
        postCreated(user, `${late} posted late`),
        envelope('post.updated', { postId: post.data.postId, authorId: user.id, text: `${late} edited late`, updatedAt: at(60_000) }, 'posts'),
        productCreated(user, { name: `${capitalized(late)} lamp`, description: 'Late' }),
      );
      assert.deepEqual(await search(svc, { q: late }), { items: [], nextCursor: null });
      assert.equal(await finds(username, user.id), false);
    });

    it('keeps things deleted when the deletion arrives before the creation', async () => {
      const needle = word();
      const author = await givenUser(svc);
      const postId = randomUUID();
      const productId = randomUUID();
      const userId = randomUUID();
      await deliver(
        svc,
        envelope('post.deleted', { postId, authorId: author.id, mediaIds: [], deletedAt: at() }, 'posts'),
        envelope('product.deleted', { productId, sellerId: author.id, deletedAt: at() }, 'catalog'),
        envelope('user.deleted', { userId, deletedAt: at() }, 'identity'),
      );
      await deliver(
        svc,
        postCreated(author, `${needle} never seen`, { postId, createdAt: at(-60_000) }),
        productCreated(author, { productId, name: `${capitalized(needle)} ghost`, description: 'Never seen', updatedAt: at(-60_000) }),
        envelope('user.registered', { userId, email: 'ghost@example.test', username: needle, displayName: 'Ghost', roles: ['user'], registeredAt: at(-60_000) }, 'identity'),
        envelope('profile.updated', { userId, username: needle, displayName: 'Ghost', bio: '', avatarUrl: null }, 'users'),
      );
      // The same author's other posts still show, so the author is known and the check is real.
      const marker = postCreated(author, `${needle} visible`);
      await deliver(svc, marker);
      await found(svc, needle, marker.data.postId);
      assert.deepEqual(ids(await search(svc, { q: needle, limit: 100 })), [marker.data.postId]);
    });
  });

  describe('order of arrival', () => {
    it('keeps the newest text of a post when an older update arrives last, or an update before the post', async () => {
      const author = await givenUser(svc);
      const [first, second, third] = [word(), word(), word()];
      const created = postCreated(author, `${first} original`, { createdAt: at(-60_000) });
      const { postId } = created.data;
      const newer = envelope('post.updated', { postId, authorId: author.id, text: `${third} final`, updatedAt: at(-10_000) }, 'posts');
      const older = envelope('post.updated', { postId, authorId: author.id, text: `${second} draft`, updatedAt: at(-30_000) }, 'posts');
      // The newest update first, before the post itself: it waits, hidden, until post.created.
      await deliver(svc, newer);
      assert.equal(await finds(third, postId), false);
      await deliver(svc, created, older);

      const page = await found(svc, third, postId);
      assert.equal(page.items.find((item) => item.id === postId)!.text, `${third} final`);
      assert.equal(page.items.find((item) => item.id === postId)!.createdAt, created.data.createdAt);
      assert.equal(await finds(first, postId), false);
      assert.equal(await finds(second, postId), false);
    });

    it('keeps the newest product when product.updated arrives before product.created or an older update last', async () => {
      const seller = await givenUser(svc);
      const [oldName, midName, newName] = [word(), word(), word()];
      const created = productCreated(seller, { name: `${capitalized(oldName)} table`, description: 'Pine', priceCents: 10_000, updatedAt: at(-60_000) });
      const latest = envelope('product.updated', { ...created.data, name: `${capitalized(newName)} table`, priceCents: 8_000, updatedAt: at(-10_000) }, 'catalog');
      const middle = envelope('product.updated', { ...created.data, name: `${capitalized(midName)} table`, priceCents: 9_000, updatedAt: at(-30_000) }, 'catalog');
      await deliver(svc, latest, created, middle);

      const item = (await found(svc, newName, created.data.productId)).items.find((hit) => hit.id === created.data.productId)!;
      assert.equal(item.priceCents, 8_000);
      assert.equal(item.name, `${capitalized(newName)} table`);
      assert.equal(await finds(oldName, created.data.productId), false);
      assert.equal(await finds(midName, created.data.productId), false);
    });

    it('keeps the newest profile when an older profile.updated arrives last, and a late user.registered changes no name', async () => {
      const userId = randomUUID();
      const [registered, older, newer] = [word(), word(), word()];
      const registration = envelope('user.registered', { userId, email: `${registered}@example.test`, username: registered, displayName: 'First', roles: ['user'], registeredAt: at(-60_000) }, 'identity');
      // Made in this order, so the first carries the earlier occurredAt (and the smaller id).
      const before = envelope('profile.updated', { userId, username: registered, displayName: `${capitalized(older)} Old`, bio: '', avatarUrl: null }, 'users');
      const later = envelope('profile.updated', { userId, username: registered, displayName: `${capitalized(newer)} New`, bio: '', avatarUrl: 'https://cdn.example/new.webp' }, 'users');
      await deliver(svc, later, before, registration);

      const item = (await found(svc, newer, userId)).items.find((hit) => hit.id === userId)!;
      assert.deepEqual(item, { kind: 'user', id: userId, score: item.score, username: registered, displayName: `${capitalized(newer)} New`, avatarUrl: 'https://cdn.example/new.webp' });
      assert.equal(await finds(older, userId), false);
    });

    it('shows a post once its author is known, whichever came first', async () => {
      const authorId = randomUUID();
      const username = word();
      const needle = word();
      const post = postCreated({ id: authorId }, `${needle} before its author`);
      await deliver(svc, post);
      assert.equal(await finds(needle, post.data.postId), false);
      await deliver(svc, envelope('user.registered', { userId: authorId, email: `${username}@example.test`, username, displayName: 'Late Author', roles: ['user'], registeredAt: at() }, 'identity'));
      const item = (await found(svc, needle, post.data.postId)).items.find((hit) => hit.id === post.data.postId)!;
      assert.deepEqual(item.author, { id: authorId, username, displayName: 'Late Author', avatarUrl: null });
    });
  });

  describe('duplicates', () => {
    it('counts a redelivered or repeated event once', async () => {
      const author = await givenUser(svc);
      const needle = word();
      const created = postCreated(author, `${needle} once`);
      const product = productCreated(author, { name: `${capitalized(needle)} bowl`, description: 'Clay' });
      await deliver(svc, created, product);
      await svc.redeliver(created);
      await svc.redeliver(product);
      // The same facts in new envelopes, as a producer retrying after a crash would send them.
      await deliver(svc, envelope('post.created', created.data, 'posts'), envelope('product.created', product.data, 'catalog'));
      await deliver(svc, envelope('user.registered', { userId: author.id, email: 'again@example.test', username: author.username, displayName: 'Again', roles: ['user'], registeredAt: at() }, 'identity'));
      const page = await found(svc, needle, created.data.postId);
      assert.deepEqual(ids(page).sort(), [created.data.postId, product.data.productId].sort());
      assert.equal(page.items.find((item) => item.kind === 'post')!.author.displayName, author.displayName, 'a repeated user.registered renames no one');
    });

    it('takes a repeated deletion as harmless', async () => {
      const author = await givenUser(svc);
      const needle = word();
      const created = postCreated(author, `${needle} twice deleted`);
      await deliver(svc, created);
      await found(svc, needle, created.data.postId);
      const deletion = envelope('post.deleted', { postId: created.data.postId, authorId: author.id, mediaIds: [], deletedAt: at() }, 'posts');
      await deliver(svc, deletion, envelope('post.deleted', deletion.data, 'posts'));
      await svc.redeliver(deletion);
      await gone(svc, needle, created.data.postId);
      const erasure = envelope('user.deleted', { userId: author.id, deletedAt: at() }, 'identity');
      await deliver(svc, erasure, envelope('user.deleted', erasure.data, 'identity'));
      assert.equal(await finds(author.username, author.id), false);
    });
  });

  describe('authors', () => {
    it('shows posts under the author’s current name and avatar, and finds the person by the new name only', async () => {
      const oldName = word();
      const author = await givenUser(svc, { username: oldName, displayName: 'Before Rename' });
      const needle = word();
      const post = postCreated(author, `${needle} written before the rename`);
      await deliver(svc, post);
      const before = (await found(svc, needle, post.data.postId)).items.find((item) => item.id === post.data.postId)!;
      assert.deepEqual(before.author, { id: author.id, username: oldName, displayName: 'Before Rename', avatarUrl: null });

      const newName = word();
      await svc.publish('profile.updated', { userId: author.id, username: newName, displayName: `${capitalized(newName)} After`, bio: 'new bio', avatarUrl: 'https://cdn.example/a.webp' }, 'users');
      await eventually(async () => {
        const item = (await search(svc, { q: needle })).items.find((hit) => hit.id === post.data.postId)!;
        assert.deepEqual(item.author, { id: author.id, username: newName, displayName: `${capitalized(newName)} After`, avatarUrl: 'https://cdn.example/a.webp' });
      });
      await found(svc, newName, author.id);
      assert.equal(await finds(oldName, author.id), false);
    });
  });
});
