/** Accounts. Every function takes the database or an open transaction. */
import { asc, eq, gt } from 'drizzle-orm';
import type { Queryable } from '@agora/kit/db/database';
import type { Role } from '@agora/kit/auth/access-token';
import { users, type UserRow } from './schema.ts';

export type { UserRow };

export type NewUser = Omit<UserRow, 'updatedAt'>;

/** Which unique rule an insert or update broke, so the caller can answer the right 409. */
export type UniqueField = 'email' | 'username';

export class UniqueViolation extends Error {
  readonly field: UniqueField;
  constructor(field: UniqueField, cause: unknown) {
    super(`${field} is taken`, { cause });
    this.name = 'UniqueViolation';
    this.field = field;
  }
}

const UNIQUE_VIOLATION = '23505';
const CONSTRAINTS: Record<string, UniqueField> = { users_email_key: 'email', users_username_key: 'username' };

/** Drizzle wraps the driver's error (node-postgres or PGlite); the SQLSTATE is on one of the causes. */
function uniqueViolationOf(error: unknown): UniqueViolation | null {
  for (let current = error, depth = 0; current && depth < 5; current = (current as { cause?: unknown }).cause, depth++) {
    const { code, constraint } = current as { code?: unknown; constraint?: unknown };
    if (code === UNIQUE_VIOLATION && typeof constraint === 'string' && CONSTRAINTS[constraint]) {
      return new UniqueViolation(CONSTRAINTS[constraint], error);
    }
  }
  return null;
}

export async function insertUser(q: Queryable, user: NewUser): Promise<UserRow> {
  try {
    const [row] = await q
      .insert(users)
      .values({ ...user, updatedAt: user.createdAt })
      .returning();
    return row!;
  } catch (error) {
    throw uniqueViolationOf(error) ?? error;
  }
}

export async function findUserById(q: Queryable, id: string): Promise<UserRow | null> {
  const [row] = await q.select().from(users).where(eq(users.id, id));
  return row ?? null;
}

export async function findUserByEmail(q: Queryable, email: string): Promise<UserRow | null> {
  const [row] = await q.select().from(users).where(eq(users.email, email));
  return row ?? null;
}

export async function usernameExists(q: Queryable, username: string): Promise<boolean> {
  const [row] = await q.select({ id: users.id }).from(users).where(eq(users.username, username));
  return row !== undefined;
}

/** Locks the row for the rest of the transaction, so concurrent changes to one account serialize. */
export async function lockUser(q: Queryable, id: string): Promise<UserRow | null> {
  const [row] = await q.select().from(users).where(eq(users.id, id)).for('update');
  return row ?? null;
}

export async function updatePasswordHash(q: Queryable, id: string, passwordHash: string, at: Date): Promise<void> {
  await q.update(users).set({ passwordHash, updatedAt: at }).where(eq(users.id, id));
}

export async function updateRoles(q: Queryable, id: string, roles: Role[], at: Date): Promise<void> {
  await q.update(users).set({ roles, updatedAt: at }).where(eq(users.id, id));
}

export async function deleteUser(q: Queryable, id: string): Promise<boolean> {
  const deleted = await q.delete(users).where(eq(users.id, id)).returning({ id: users.id });
  return deleted.length > 0;
}

/** Oldest first (ids are UUIDv7, so id order is creation order), `limit` rows after `afterId`. */
export async function listUsers(q: Queryable, options: { limit: number; afterId?: string | undefined }): Promise<UserRow[]> {
  return q
    .select()
    .from(users)
    .where(options.afterId === undefined ? undefined : gt(users.id, options.afterId))
    .orderBy(asc(users.id))
    .limit(options.limit);
}
