/**
 * Categories: anyone lists them, admins manage them. Names are unique regardless of case (409
 * CATALOG.CATEGORY_EXISTS). Deleting one takes its products out of it, each change announced
 * with product.updated in the same transaction.
 */
import { errors } from '@agora/kit/errors';
import { isUuid, newId } from '@agora/kit/ids';
import { decodeCursor, pageOf } from '@agora/kit/pagination';
import {
  deleteCategory as removeCategory,
  insertCategory,
  listCategories as readCategories,
  lockCategory,
  renameCategory as writeName,
  type CategoryPosition,
} from '../db/categories.repository.ts';
import { detachCategory, lockProducts, productIdsInCategory } from '../db/products.repository.ts';
import type { CatalogContext, EventMeta } from './context.ts';
import { categoryNotFound } from './errors.ts';
import { emit } from './events.ts';
import { productChanged } from './products.ts';

export interface Category {
  id: string;
  name: string;
}

const nameTaken = () => errors.conflict('CATALOG.CATEGORY_EXISTS', 'A category with this name exists already');

export async function createCategory(ctx: CatalogContext, name: string): Promise<Category> {
  const category = { id: newId(), name: name.trim(), createdAt: ctx.clock.now() };
  if (!(await insertCategory(ctx.database.db, category))) throw nameTaken();
  return { id: category.id, name: category.name };
}

export async function renameCategory(ctx: CatalogContext, id: string, name: string): Promise<Category> {
  return ctx.database.transaction(async (tx) => {
    const renamed = await writeName(tx, id, name.trim());
    if (renamed === 'taken') throw nameTaken();
    if (!renamed) throw categoryNotFound();
    return { id: renamed.id, name: renamed.name };
  });
}

export async function deleteCategory(ctx: CatalogContext, id: string, meta: EventMeta): Promise<void> {
  const at = ctx.clock.now();
  await ctx.database.transaction(async (tx) => {
    // Locked first: a product being put in it waits, then finds it gone.
    if (!(await lockCategory(tx, id))) throw categoryNotFound();
    await lockProducts(tx, await productIdsInCategory(tx, id));
    for (const row of await detachCategory(tx, id, at)) await emit(tx, 'product.updated', productChanged(row), meta);
    await removeCategory(tx, id);
  });
}

export interface CategoryPage {
  items: Category[];
  nextCursor: string | null;
}

export async function listCategories(ctx: CatalogContext, query: { limit: number; cursor?: string | undefined }): Promise<CategoryPage> {
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, parsePosition);
  const rows = await readCategories(ctx.database.db, after, query.limit + 1);
  const { page, nextCursor } = pageOf(rows, query.limit, (row) => JSON.stringify([row.sortKey, row.id]));
  return { items: page.map((row) => ({ id: row.id, name: row.name })), nextCursor };
}

function parsePosition(raw: string): CategoryPosition | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) return undefined;
  const [name, id] = parsed as unknown[];
  if (typeof name !== 'string' || typeof id !== 'string' || !isUuid(id) || name.includes('\u0000')) return undefined;
  return { name, id };
}
