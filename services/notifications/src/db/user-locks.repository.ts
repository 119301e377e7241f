/**
 * Transaction-scoped advisory locks per user id. Writers about a user take them shared, the
 * erasure takes them exclusive, so an erasure can't interleave with a write it would have to
 * undo. Users may have no row here to lock (an unknown recipient), hence advisory locks.
 */
import { sql } from 'drizzle-orm';
import type { Queryable } from '@agora/kit/db/database';

export async function lockUsers(q: Queryable, userIds: string[], mode: 'shared' | 'exclusive'): Promise<void> {
  // Sorted, so two transactions taking several locks can't deadlock.
  const ids = [...new Set(userIds)].sort();
  if (ids.length === 0) return;
  const lock = mode === 'shared' ? sql`pg_advisory_xact_lock_shared` : sql`pg_advisory_xact_lock`;
  const list = sql.join(ids.map((id) => sql`(${id})`), sql`, `);
  await q.execute(sql`select ${lock}(hashtextextended(ids.id, 0)) from (select id from (values ${list}) as given(id) order by id) as ids`);
}
