/** How posts look from outside, and the errors several use cases share. */
import { errors } from '@agora/kit/errors';
import type { MediaView, PostView } from '../db/post-views.repository.ts';

export interface AuthorSummary {
  id: string;
  username: string;
  displayName: string;
  avatarUrl: string | null;
}

export interface Post {
  id: string;
  author: AuthorSummary;
  text: string;
  media: MediaView[];
  likeCount: number;
  commentCount: number;
  likedByMe: boolean;
  createdAt: string;
  updatedAt: string;
}

export const toPost = (view: PostView): Post => ({
  id: view.id,
  author: { id: view.authorId, username: view.username, displayName: view.displayName, avatarUrl: view.avatarUrl },
  text: view.text,
  media: view.media,
  likeCount: view.likeCount,
  commentCount: view.commentCount,
  likedByMe: view.likedByMe,
  createdAt: view.createdAt,
  updatedAt: view.updatedAt,
});

export const postNotFound = () => errors.notFound('POSTS.NOT_FOUND', 'No such post');
