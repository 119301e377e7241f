/**
 * API.md's category routes: anyone lists them (by name, paged), admins add, rename and delete
 * them; names are unique regardless of case; deleting one leaves its products without a category
 * and announces each change.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { expectProblem } from '@agora/kit/testing/service-harness';
import { API, startCatalog, type TestCatalog } from './support/catalog.ts';

describe('catalog: categories', () => {
  let svc: TestCatalog;
  before(async () => {
    svc = await startCatalog();
  });
  after(async () => {
    await svc?.close();
  });

  const adminToken = async () => (await svc.admin()).accessToken;

  it('lets an admin add a category (201, trimmed name) and lists categories by name for anyone, paged', async () => {
    const token = await adminToken();
    const suffix = randomUUID().slice(0, 8);
    const names = [`b-${suffix}`, `A-${suffix}`, `c-${suffix}`];
    const made = [];
    for (const name of names) {
      const response = await svc.request('POST', `${API}/categories`, { token, body: { name: `  ${name} ` } });
      assert.equal(response.statusCode, 201, response.body);
      assert.deepEqual(response.json(), { id: response.json().id, name });
      made.push(response.json());
    }
    const seen: { id: string; name: string }[] = [];
    let cursor: string | null = null;
    do {
      const response = await svc.request('GET', `${API}/categories?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      assert.equal(response.statusCode, 200, response.body);
      const page: { items: { id: string; name: string }[]; nextCursor: string | null } = response.json();
      assert.ok(page.items.length <= 2);
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    const ours = seen.filter((category) => category.name.endsWith(suffix));
    assert.deepEqual(
      ours.map((category) => category.name),
      [`A-${suffix}`, `b-${suffix}`, `c-${suffix}`],
    );
    assert.equal(new Set(seen.map((category) => category.id)).size, seen.length);
    expectProblem(await svc.request('GET', `${API}/categories?cursor=nope`), 400, 'VALIDATION.FAILED');
  });

  it('refuses a name taken already, whatever its case, with 409 CATALOG.CATEGORY_EXISTS', async () => {
    const token = await adminToken();
    const name = `Garden ${randomUUID().slice(0, 8)}`;
    await svc.category(name);
    expectProblem(await svc.request('POST', `${API}/categories`, { token, body: { name: name.toUpperCase() } }), 409, 'CATALOG.CATEGORY_EXISTS');
    const other = await svc.category();
    expectProblem(await svc.request('PATCH', `${API}/categories/${other.id}`, { token, body: { name: name.toLowerCase() } }), 409, 'CATALOG.CATEGORY_EXISTS');
  });

  it('renames a category (200), also to another case of its own name; products show the new name', async () => {
    const token = await adminToken();
    const category = await svc.category(`kitchen ${randomUUID().slice(0, 8)}`);
    const product = await svc.product(await svc.seller(), { categoryId: category.id });
    const response = await svc.request('PATCH', `${API}/categories/${category.id}`, { token, body: { name: category.name.toUpperCase() } });
    assert.equal(response.statusCode, 200, response.body);
    assert.deepEqual(response.json(), { id: category.id, name: category.name.toUpperCase() });
    assert.deepEqual((await svc.request('GET', `${API}/products/${product.id}`)).json().category, { id: category.id, name: category.name.toUpperCase() });
    expectProblem(await svc.request('PATCH', `${API}/categories/${randomUUID()}`, { token, body: { name: 'x' } }), 404, 'CATALOG.CATEGORY_NOT_FOUND');
  });

  it('deletes a category (204): its products stay without one, each announced with product.updated', async () => {
    const token = await adminToken();
    const category = await svc.category();
    const seller = await svc.seller();
    const [one, two, gone] = [
      await svc.product(seller, { categoryId: category.id }),
      await svc.product(seller, { categoryId: category.id }),
      await svc.product(seller, { categoryId: category.id }),
    ];
    assert.equal((await svc.request('DELETE', `${API}/products/${gone.id}`, { token: seller.accessToken })).statusCode, 204);
    const response = await svc.request('DELETE', `${API}/categories/${category.id}`, { token });
    assert.equal(response.statusCode, 204, response.body);
    for (const product of [one, two]) {
      assert.equal((await svc.request('GET', `${API}/products/${product.id}`)).json().category, null);
      const updates = await svc.published('product.updated', { productId: product.id });
      assert.equal(updates.length, 1);
      assert.equal(updates[0]!.data.categoryId, null);
    }
    assert.equal((await svc.published('product.updated', { productId: gone.id })).length, 0);
    expectProblem(await svc.request('DELETE', `${API}/categories/${category.id}`, { token }), 404, 'CATALOG.CATEGORY_NOT_FOUND');
    expectProblem(
      await svc.request('POST', `${API}/products`, { token: seller.accessToken, body: { name: 'x', description: '', priceCents: 1, stock: 1, categoryId: category.id } }),
      400,
      'CATALOG.UNKNOWN_CATEGORY',
    );
  });

  it('keeps category management to admins: 403 for sellers and users, 401 without a token', async () => {
    const category = await svc.category();
    for (const user of [await svc.seller(), await svc.known()]) {
      expectProblem(await svc.request('POST', `${API}/categories`, { token: user.accessToken, body: { name: 'x' } }), 403, 'AUTH.FORBIDDEN');
      expectProblem(await svc.request('PATCH', `${API}/categories/${category.id}`, { token: user.accessToken, body: { name: 'x' } }), 403, 'AUTH.FORBIDDEN');
      expectProblem(await svc.request('DELETE', `${API}/categories/${category.id}`, { token: user.accessToken }), 403, 'AUTH.FORBIDDEN');
    }
    expectProblem(await svc.request('POST', `${API}/categories`, { body: { name: 'x' } }), 401, 'AUTH.REQUIRED');
    expectProblem(await svc.request('DELETE', `${API}/categories/${category.id}`), 401, 'AUTH.REQUIRED');
  });

  it('answers 400 for a bad name or a malformed id', async () => {
    const token = await adminToken();
    for (const body of [{}, { name: '' }, { name: '   ' }, { name: 'x'.repeat(61) }, { name: 'a\u0000b' }, { name: 5 }, { name: 'x', extra: 1 }]) {
      expectProblem(await svc.request('POST', `${API}/categories`, { token, body }), 400, 'VALIDATION.FAILED');
    }
    expectProblem(await svc.request('PATCH', `${API}/categories/nope`, { token, body: { name: 'x' } }), 400, 'VALIDATION.FAILED');
    expectProblem(await svc.request('DELETE', `${API}/categories/nope`, { token }), 400, 'VALIDATION.FAILED');
  });
});
