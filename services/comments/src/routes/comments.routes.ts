/** Comments: /api/v1/posts/:id/comments and /api/v1/comments/:id. */
import type { HttpApp } from '@agora/kit/http/app';
import { bearerSecurity, principalOf, requireUser } from '@agora/kit/http/auth';
import { IdParams, NoContent, Page, PageQuery, problems } from '@agora/kit/http/schemas';
import type { CommentsContext } from '../domain/context.ts';
import { createComment } from '../domain/create-comment.ts';
import { deleteComment } from '../domain/delete-comment.ts';
import { editComment } from '../domain/edit-comment.ts';
import { getComment } from '../domain/get-comment.ts';
import { listComments } from '../domain/list-comments.ts';
import { BODY_PROBLEMS, Comment, CommentBody } from './schemas.ts';

const tags = ['comments'];

export function commentRoutes(app: HttpApp, ctx: CommentsContext): void {
  app.post(
    '/posts/:id/comments',
    {
      onRequest: requireUser,
      schema: {
        tags,
        summary: 'Comment on a post',
        description:
          'An unknown or deleted post is 404 COMMENTS.POST_NOT_FOUND (a post just created may take a moment to be known here). Announced as comment.created.',
        security: bearerSecurity,
        params: IdParams,
        body: CommentBody,
        response: { 201: Comment, ...problems(...BODY_PROBLEMS, 403, 404) },
      },
    },
    async (request, reply) => {
      const comment = await createComment(ctx, principalOf(request).userId, request.params.id, request.body.text, { correlationId: request.id });
      return reply.code(201).send(comment);
    },
  );

  app.get(
    '/posts/:id/comments',
    {
      schema: {
        tags,
        summary: 'A post’s comments, oldest first',
        description: 'Pages with limit and an opaque cursor. An unknown or deleted post is 404 COMMENTS.POST_NOT_FOUND.',
        params: IdParams,
        querystring: PageQuery,
        response: { 200: Page(Comment), ...problems(400, 401, 404) },
      },
    },
    async (request) => listComments(ctx, request.params.id, request.query),
  );

  app.get(
    '/comments/:id',
    { schema: { tags, summary: 'A comment', params: IdParams, response: { 200: Comment, ...problems(400, 401, 404) } } },
    async (request) => getComment(ctx, request.params.id),
  );

  app.patch(
    '/comments/:id',
    {
      onRequest: requireUser,
      schema: {
        tags,
        summary: 'Edit a comment’s text',
        description: 'Its author only: anyone else is 403 COMMENTS.FORBIDDEN.',
        security: bearerSecurity,
        params: IdParams,
        body: CommentBody,
        response: { 200: Comment, ...problems(...BODY_PROBLEMS, 403, 404) },
      },
    },
    async (request) => editComment(ctx, principalOf(request).userId, request.params.id, request.body.text),
  );

  app.delete(
    '/comments/:id',
    {
      onRequest: requireUser,
      schema: {
        tags,
        summary: 'Delete a comment',
        description: 'The comment’s author, the post’s author or an admin; anyone else is 403 COMMENTS.FORBIDDEN. Announced as comment.deleted.',
        security: bearerSecurity,
        params: IdParams,
        response: { 204: NoContent, ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await deleteComment(ctx, principalOf(request), request.params.id, { correlationId: request.id });
      return reply.code(204).send(null);
    },
  );
}
