/** The latest applied change of each follow, like and comment. Every function takes the database or an open transaction. */
import { and, eq, or, sql } from 'drizzle-orm';
import type { Queryable } from '@agora/kit/db/database';
import { activity, type ActivityKind } from './schema.ts';

export interface ActivityChange {
  kind: ActivityKind;
  targetId: string;
  actorId: string;
  active: boolean;
  at: Date;
}

/**
 * Records the change unless a newer one was recorded for the same (kind, target, actor); true
 * when it was recorded. At the same instant, taking back wins over giving.
 */
export async function applyChange(q: Queryable, change: ActivityChange): Promise<boolean> {
  const applied = await q
    .insert(activity)
    .values(change)
    .onConflictDoUpdate({
      target: [activity.kind, activity.targetId, activity.actorId],
      set: { active: change.active, at: change.at },
      setWhere: sql`${activity.at} < excluded.at or (${activity.at} = excluded.at and ${activity.active} and not excluded.active)`,
    })
    .returning({ active: activity.active });
  return applied.length > 0;
}

/** Forgets what the user did, and who followed them. */
export async function deleteActivityOf(q: Queryable, userId: string): Promise<void> {
  await q.delete(activity).where(or(eq(activity.actorId, userId), and(eq(activity.kind, 'follow'), eq(activity.targetId, userId))));
}
