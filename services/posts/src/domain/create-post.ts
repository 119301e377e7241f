/**
 * Writing a post. The author must be known here (from user.registered) and every media must be
 * an upload of theirs that still exists and isn't attached to another post (media goes with its
 * post). The post and its post.created commit together; followers' feeds are filled by this
 * service's own post.created consumer (fan-out-post.ts), not in this transaction.
 */
import { errors } from '@agora/kit/errors';
import { newId } from '@agora/kit/ids';
import { findAuthor } from '../db/authors.repository.ts';
import { lockUsersShared } from '../db/locks.repository.ts';
import { attachMedia, findMediaByIds } from '../db/media.repository.ts';
import { insertPost } from '../db/posts.repository.ts';
import type { EventMeta, PostsContext } from './context.ts';
import { emit } from './events.ts';
import type { Post } from './posts.ts';

export interface NewPost {
  text: string;
  mediaIds?: string[] | undefined;
}

export async function createPost(ctx: PostsContext, authorId: string, input: NewPost, meta: EventMeta): Promise<Post> {
  const id = newId();
  const at = ctx.clock.now();
  const mediaIds = input.mediaIds ?? [];
  return ctx.database.transaction(async (tx) => {
    // Shared with the handlers, exclusive for erasure: no post is written for an erased author.
    await lockUsersShared(tx, [authorId]);
    const author = await findAuthor(tx, authorId);
    if (!author) {
      throw errors.notFound('POSTS.AUTHOR_NOT_READY', 'Your account is not known to posts yet; try again in a moment');
    }
    const found = new Map((await findMediaByIds(tx, mediaIds)).map((row) => [row.id, row]));
    const unknown = mediaIds.flatMap((mediaId, index) => {
      const row = found.get(mediaId);
      return row && row.ownerId === authorId && row.deletedAt === null && row.url !== null && row.contentType !== null ? [] : [index];
    });
    if (unknown.length > 0) {
      throw errors.badRequest('POSTS.UNKNOWN_MEDIA', 'Every media must be an upload of yours', {
        errors: unknown.map((index) => ({ path: `body/mediaIds/${index}`, message: 'is not media you uploaded' })),
      });
    }
    const attached = new Set(await attachMedia(tx, mediaIds, id));
    const taken = mediaIds.flatMap((mediaId, index) => (attached.has(mediaId) ? [] : [index]));
    if (taken.length > 0) {
      throw errors.conflict('POSTS.MEDIA_IN_USE', 'Media can belong to one post only', {
        errors: taken.map((index) => ({ path: `body/mediaIds/${index}`, message: 'is attached to another post' })),
      });
    }
    await insertPost(tx, { id, authorId, text: input.text, mediaIds, createdAt: at });
    await emit(tx, 'post.created', { postId: id, authorId, text: input.text, mediaIds, createdAt: at.toISOString() }, meta);
    return {
      id,
      author: { id: author.id, username: author.username, displayName: author.displayName, avatarUrl: author.avatarUrl },
      text: input.text,
      media: mediaIds.map((mediaId) => {
        const row = found.get(mediaId)!;
        return { id: mediaId, url: row.url!, thumbnailUrl: row.thumbnailUrl, contentType: row.contentType! };
      }),
      likeCount: 0,
      commentCount: 0,
      likedByMe: false,
      createdAt: at.toISOString(),
      updatedAt: at.toISOString(),
    };
  });
}
