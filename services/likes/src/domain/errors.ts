/** The errors several use cases share. */
import { errors } from '@agora/kit/errors';

export const postNotFound = () => errors.notFound('LIKES.POST_NOT_FOUND', 'No such post');

export const commentNotFound = () => errors.notFound('LIKES.COMMENT_NOT_FOUND', 'No such comment');
