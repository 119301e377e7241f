/** Events from comments: commentCount. Thin: the rules live in domain/project-comments.ts. */
import { CommentCreated, CommentDeleted, type EventData } from '@agora/contracts/events';
import type { EventHandler } from '@agora/kit/service';
import { trackComment, trackCommentDeletion } from '../domain/project-comments.ts';

export function commentsConsumers() {
  const handlers: Record<string, EventHandler> = {
    'comment.created': async (event, tx) => {
      const data = event.data as EventData<'comment.created'>;
      await trackComment(tx, { commentId: data.commentId, postId: data.postId, authorId: data.authorId });
    },
    'comment.deleted': async (event, tx) => {
      const data = event.data as EventData<'comment.deleted'>;
      await trackCommentDeletion(tx, { commentId: data.commentId, postId: data.postId, authorId: data.authorId });
    },
  };
  return { handlers, schemas: { 'comment.created': CommentCreated, 'comment.deleted': CommentDeleted } };
}
