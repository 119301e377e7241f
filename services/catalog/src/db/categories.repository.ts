/** Categories. Every function takes the database or an open transaction. */
import { asc, eq, sql } from 'drizzle-orm';
import type { Queryable } from '@agora/kit/db/database';
import { categories, type CategoryRow } from './schema.ts';

export type { CategoryRow };

/** Where a page of the name-ordered list starts: strictly after this (lower-cased name, id). */
export interface CategoryPosition {
  name: string;
  id: string;
}

/** Same order on PostgreSQL and PGlite whatever their default collations. */
const sortKey = sql`(lower(${categories.name}) collate "C")`;

const UNIQUE_VIOLATION = '23505';

const isUniqueViolation = (error: unknown): boolean => {
  for (let cause: unknown = error; cause; cause = (cause as { cause?: unknown }).cause) {
    if ((cause as { code?: unknown }).code === UNIQUE_VIOLATION) return true;
  }
  return false;
};

/** False when another category has the name already (regardless of case). */
export async function insertCategory(q: Queryable, category: CategoryRow): Promise<boolean> {
  const inserted = await q.insert(categories).values(category).onConflictDoNothing().returning({ id: categories.id });
  return inserted.length > 0;
}

/** The renamed category; 'taken' when another one has the name (regardless of case), null when it is gone. */
export async function renameCategory(q: Queryable, id: string, name: string): Promise<CategoryRow | 'taken' | null> {
  try {
    const [row] = await q.update(categories).set({ name }).where(eq(categories.id, id)).returning();
    return row ?? null;
  } catch (error) {
    if (isUniqueViolation(error)) return 'taken';
    throw error;
  }
}

export async function findCategory(q: Queryable, id: string): Promise<CategoryRow | null> {
  const [row] = await q.select().from(categories).where(eq(categories.id, id));
  return row ?? null;
}

/** Holds the category until the transaction ends so it can't be deleted while a product is being put in it. */
export async function lockCategoryShared(q: Queryable, id: string): Promise<CategoryRow | null> {
  const [row] = await q.select().from(categories).where(eq(categories.id, id)).for('key share');
  return row ?? null;
}

export async function lockCategory(q: Queryable, id: string): Promise<CategoryRow | null> {
  const [row] = await q.select().from(categories).where(eq(categories.id, id)).for('update');
  return row ?? null;
}

export async function deleteCategory(q: Queryable, id: string): Promise<void> {
  await q.delete(categories).where(eq(categories.id, id));
}

/** Categories by name; `sortKey` is the name as the database folds it, which the next page starts after. */
export async function listCategories(q: Queryable, after: CategoryPosition | undefined, take: number): Promise<(CategoryRow & { sortKey: string })[]> {
  const query = q.select({ id: categories.id, name: categories.name, createdAt: categories.createdAt, sortKey: sql<string>`lower(${categories.name})` }).from(categories);
  const filtered = after ? query.where(sql`(${sortKey}, ${categories.id}) > (${after.name}::text collate "C", ${after.id}::uuid)`) : query;
  return filtered.orderBy(sortKey, asc(categories.id)).limit(take);
}
