/** Uploads once made: /api/v1/media/:id, its bytes at /:id/file and /:id/thumbnail, and deletion. */
import type { FastifyReply } from 'fastify';
import type { HttpApp } from '@agora/kit/http/app';
import { bearerSecurity, principalOf, requireUser } from '@agora/kit/http/auth';
import { IdParams, NoContent, problems } from '@agora/kit/http/schemas';
import type { MediaContext } from '../domain/context.ts';
import { deleteMedia } from '../domain/delete-media.ts';
import { findRendition, getMedia, openRendition, type RenditionName } from '../domain/get-media.ts';
import { ImageBytes, Media, NotModified } from './schemas.ts';

const tags = ['media'];

/** Bytes under an id never change: caches may keep them for a year without asking again. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** RFC 9110 §13.1.2: If-None-Match is a list of entity tags (weak comparison), or `*`. */
function matchesAny(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  return ifNoneMatch.split(',').some((candidate) => {
    const tag = candidate.trim();
    return tag === '*' || tag.replace(/^W\//, '') === etag;
  });
}

export function mediaRoutes(app: HttpApp, ctx: MediaContext): void {
  app.get(
    '/:id',
    {
      schema: {
        tags,
        summary: 'An upload',
        description: 'Unknown or deleted: 404 MEDIA.NOT_FOUND.',
        params: IdParams,
        response: { 200: Media, ...problems(400, 401, 404) },
      },
    },
    async (request) => getMedia(ctx, request.params.id),
  );

  const files: { path: string; rendition: RenditionName; summary: string; types: string[] }[] = [
    { path: '/:id/file', rendition: 'image', summary: 'The image’s bytes', types: ['image/jpeg', 'image/png', 'image/webp', 'image/gif'] },
    { path: '/:id/thumbnail', rendition: 'thumbnail', summary: 'The thumbnail’s bytes (WebP)', types: ['image/webp'] },
  ];
  for (const file of files) {
    app.get(
      file.path,
      {
        schema: {
          tags,
          summary: file.summary,
          description: 'Streamed from storage, cacheable forever (`immutable`), with a strong ETag; If-None-Match answers 304.',
          params: IdParams,
          response: { 200: ImageBytes(file.types, file.summary), 304: NotModified, ...problems(400, 401, 404) },
        },
      },
      async (request, reply) => {
        const rendition = await findRendition(ctx, request.params.id, file.rendition);
        void reply.header('etag', rendition.etag).header('cache-control', IMMUTABLE).header('x-content-type-options', 'nosniff');
        if (matchesAny(request.headers['if-none-match'], rendition.etag)) return reply.code(304).send(null);
        const { body, size } = await openRendition(ctx, rendition);
        return sendStream(reply, body, size, rendition.contentType);
      },
    );
  }

  app.delete(
    '/:id',
    {
      onRequest: requireUser,
      schema: {
        tags,
        summary: 'Delete an upload',
        description: 'By its uploader or an admin; anyone else: 403 MEDIA.FORBIDDEN. The bytes are removed and media.deleted is published.',
        security: bearerSecurity,
        params: IdParams,
        response: { 204: NoContent, ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await deleteMedia(ctx, principalOf(request), request.params.id, { correlationId: request.id });
      return reply.code(204).send(null);
    },
  );
}

function sendStream(reply: FastifyReply, body: NodeJS.ReadableStream, size: number, contentType: string) {
  return reply.header('content-type', contentType).header('content-length', size).send(body);
}
