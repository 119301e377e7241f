/** Reading one profile, by id or by username. */
import { findProfileById, findProfileByUsername } from '../db/profiles.repository.ts';
import type { UsersContext } from './context.ts';
import { toProfile, userNotFound, type Profile } from './profiles.ts';

export async function getProfile(ctx: UsersContext, id: string): Promise<Profile> {
  const row = await findProfileById(ctx.database.db, id);
  if (!row) throw userNotFound();
  return toProfile(row);
}

export async function getProfileByUsername(ctx: UsersContext, username: string): Promise<Profile> {
  const row = await findProfileByUsername(ctx.database.db, username);
  if (!row) throw userNotFound();
  return toProfile(row);
}
