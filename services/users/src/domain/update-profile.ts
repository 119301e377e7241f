/**
 * Editing one's own profile. An avatar must be media the user uploaded and that still exists
 * (as far as media.uploaded / media.deleted have told us); `profile.updated` goes out only when
 * something actually changed.
 */
import { errors } from '@agora/kit/errors';
import { findMedia } from '../db/media.repository.ts';
import { findProfileById, lockProfiles, updateProfile as writeProfile } from '../db/profiles.repository.ts';
import type { RequestMeta, UsersContext } from './context.ts';
import { announceProfile, toProfile, userNotFound, type Profile } from './profiles.ts';

export interface ProfileChanges {
  displayName?: string | undefined;
  bio?: string | undefined;
  avatarMediaId?: string | null | undefined;
}

export async function updateOwnProfile(ctx: UsersContext, userId: string, input: ProfileChanges, meta: RequestMeta): Promise<Profile> {
  const at = ctx.clock.now();
  const row = await ctx.database.transaction(async (tx) => {
    if ((await lockProfiles(tx, [userId])).length === 0) throw userNotFound();
    const current = (await findProfileById(tx, userId))!;
    const changes: ProfileChanges = {};
    if (input.displayName !== undefined && input.displayName !== current.displayName) changes.displayName = input.displayName;
    if (input.bio !== undefined && input.bio !== current.bio) changes.bio = input.bio;
    if (input.avatarMediaId !== undefined && input.avatarMediaId !== current.avatarMediaId) {
      if (input.avatarMediaId !== null) {
        const media = await findMedia(tx, input.avatarMediaId);
        if (!media || media.deletedAt !== null || media.ownerId !== userId) {
          throw errors.badRequest('USERS.UNKNOWN_MEDIA', 'The avatar must be an image you uploaded', {
            errors: [{ path: 'body/avatarMediaId', message: 'is not media of yours' }],
          });
        }
      }
      changes.avatarMediaId = input.avatarMediaId;
    }
    if (Object.keys(changes).length === 0) return current;
    await writeProfile(tx, userId, changes, at);
    return announceProfile(tx, userId, meta);
  });
  return toProfile(row);
}
