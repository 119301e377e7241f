/** How comments look from outside, the errors several use cases share, and the announcement of deletions. */
import type { Tx } from '@agora/kit/db/database';
import { errors } from '@agora/kit/errors';
import type { CommentView, DeletedComment } from '../db/comments.repository.ts';
import { emit } from './events.ts';

export interface AuthorSummary {
  id: string;
  username: string;
  displayName: string;
  avatarUrl: string | null;
}

export interface Comment {
  id: string;
  postId: string;
  author: AuthorSummary;
  text: string;
  likeCount: number;
  createdAt: string;
  updatedAt: string;
}

/** Who is acting, as the access token says. */
export interface Actor {
  userId: string;
  roles: readonly string[];
}

// An author whose user.registered hasn't arrived yet has no names: empty until it does.
export const toComment = (row: CommentView): Comment => ({
  id: row.id,
  postId: row.postId,
  author: { id: row.authorId, username: row.username ?? '', displayName: row.displayName ?? '', avatarUrl: row.avatarUrl },
  text: row.text,
  likeCount: row.likeCount,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

export const commentNotFound = () => errors.notFound('COMMENTS.NOT_FOUND', 'No such comment');
export const postNotFound = () => errors.notFound('COMMENTS.POST_NOT_FOUND', 'No such post');
export const forbidden = (title: string) => errors.forbidden('COMMENTS.FORBIDDEN', title);

/** Publishes comment.deleted for each comment removed in `tx`, so what hangs on them (likes, counts) goes too. */
export async function announceDeletions(
  tx: Tx,
  deleted: DeletedComment[],
  at: Date,
  meta: { correlationId?: string | undefined; causationId?: string | undefined },
): Promise<void> {
  for (const comment of deleted) {
    await emit(tx, 'comment.deleted', { commentId: comment.id, postId: comment.postId, authorId: comment.authorId, deletedAt: at.toISOString() }, meta);
  }
}
