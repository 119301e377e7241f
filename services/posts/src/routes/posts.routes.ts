/** Posts: /api/v1/posts and /api/v1/posts/:id. */
import type { HttpApp } from '@agora/kit/http/app';
import { bearerSecurity, principalOf, requireUser } from '@agora/kit/http/auth';
import { IdParams, NoContent, problems } from '@agora/kit/http/schemas';
import type { PostsContext } from '../domain/context.ts';
import { createPost } from '../domain/create-post.ts';
import { deletePost } from '../domain/delete-post.ts';
import { editPost } from '../domain/edit-post.ts';
import { getPost } from '../domain/read-posts.ts';
import { BODY_PROBLEMS, CreatePostBody, EditPostBody, Post } from './schemas.ts';

const tags = ['posts'];

export function postRoutes(app: HttpApp, ctx: PostsContext): void {
  app.post(
    '/posts',
    {
      onRequest: requireUser,
      schema: {
        tags,
        summary: 'Write a post',
        description:
          'mediaIds must be your own uploads that still exist (else 400 POSTS.UNKNOWN_MEDIA) and not attached to another post (409 POSTS.MEDIA_IN_USE). ' +
          'Followers’ home feeds show it within a moment. Right after sign-up your account may take a moment to reach posts (404 POSTS.AUTHOR_NOT_READY until then).',
        security: bearerSecurity,
        body: CreatePostBody,
        response: { 201: Post, ...problems(...BODY_PROBLEMS, 404, 409) },
      },
    },
    async (request, reply) => {
      const post = await createPost(ctx, principalOf(request).userId, request.body, { correlationId: request.id });
      return reply.code(201).send(post);
    },
  );

  app.get(
    '/posts/:id',
    {
      schema: {
        tags,
        summary: 'A post',
        description: 'No token needed; with one, likedByMe tells whether the caller likes it.',
        params: IdParams,
        response: { 200: Post, ...problems(400, 401, 404) },
      },
    },
    async (request) => getPost(ctx, request.params.id, request.principal?.userId ?? null),
  );

  app.patch(
    '/posts/:id',
    {
      onRequest: requireUser,
      schema: {
        tags,
        summary: 'Edit a post’s text',
        description: 'Only its author: others get 403 POSTS.FORBIDDEN.',
        security: bearerSecurity,
        params: IdParams,
        body: EditPostBody,
        response: { 200: Post, ...problems(...BODY_PROBLEMS, 403, 404) },
      },
    },
    async (request) => editPost(ctx, principalOf(request).userId, request.params.id, request.body.text, { correlationId: request.id }),
  );

  app.delete(
    '/posts/:id',
    {
      onRequest: requireUser,
      schema: {
        tags,
        summary: 'Delete a post',
        description: 'Its author or an admin (others 403 POSTS.FORBIDDEN). It leaves every feed at once; its comments, likes, media and search entry follow.',
        security: bearerSecurity,
        params: IdParams,
        response: { 204: NoContent, ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await deletePost(ctx, principalOf(request), request.params.id, { correlationId: request.id });
      return reply.code(204).send(null);
    },
  );
}
