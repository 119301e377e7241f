/** The people projection: user documents and the author summaries of posts. Every function takes the database or an open transaction. */
import { and, eq, isNull, or, sql } from 'drizzle-orm';
import type { Queryable } from '@agora/kit/db/database';
import { users } from './schema.ts';

/**
 * Advisory locks keyed by a user id, in a class of their own: taken by whatever may add a
 * document of the user (a post, a product) and by the user's erasure, so an erasure can't miss a
 * document committed while it ran.
 */
const OWNER_LOCK_CLASS = 0x53_52_43_48; // "SRCH"

export async function lockOwner(q: Queryable, userId: string): Promise<void> {
  await q.execute(sql`select pg_advisory_xact_lock(${sql.raw(String(OWNER_LOCK_CLASS))}, hashtext(${userId}::text))`);
}

export async function isErased(q: Queryable, userId: string): Promise<boolean> {
  const [row] = await q.select({ deletedAt: users.deletedAt }).from(users).where(eq(users.id, userId));
  return row?.deletedAt != null;
}

/** user.registered: the names when none are known yet; always the registration time (recency). */
export async function recordRegistration(
  q: Queryable,
  account: { id: string; username: string; displayName: string; registeredAt: Date },
): Promise<void> {
  await q
    .insert(users)
    .values({ ...account, avatarUrl: null })
    .onConflictDoUpdate({ target: users.id, set: { registeredAt: account.registeredAt }, setWhere: isNull(users.deletedAt) });
}

/**
 * profile.updated carries the whole profile: it replaces what is held unless a later one (by the
 * envelope's occurredAt, then its time-ordered id) was applied already.
 */
export async function applyProfile(
  q: Queryable,
  profile: { id: string; username: string; displayName: string; avatarUrl: string | null },
  version: { at: Date; eventId: string },
): Promise<boolean> {
  const changed = await q
    .insert(users)
    .values({ ...profile, registeredAt: version.at, profileAt: version.at, profileEventId: version.eventId })
    .onConflictDoUpdate({
      target: users.id,
      set: {
        username: profile.username,
        displayName: profile.displayName,
        avatarUrl: profile.avatarUrl,
        profileAt: version.at,
        profileEventId: version.eventId,
      },
      setWhere: and(
        isNull(users.deletedAt),
        or(isNull(users.profileAt), sql`(${users.profileAt}, ${users.profileEventId}) < (${version.at}::timestamptz, ${version.eventId}::uuid)`),
      ),
    })
    .returning({ id: users.id });
  return changed.length > 0;
}

/** Leaves a tombstone with the personal data erased, so later events about the user change nothing. */
export async function eraseUser(q: Queryable, id: string, at: Date): Promise<void> {
  const erased = { username: '', displayName: '', avatarUrl: null };
  await q
    .insert(users)
    .values({ id, ...erased, registeredAt: at, deletedAt: at })
    .onConflictDoUpdate({ target: users.id, set: { ...erased, deletedAt: sql`coalesce(${users.deletedAt}, excluded.deleted_at)` } });
}
