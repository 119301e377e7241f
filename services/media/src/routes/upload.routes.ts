/**
 * POST /api/v1/media: a multipart form with one part, `file`. Registered in a scope of its own
 * whose only body parser is multipart: any other body is refused (415) before it is read. The
 * form is streamed through busboy, so a file over 10 MiB is cut off at the limit rather than
 * buffered, and a declared Content-Length over the body limit is refused before reading at all.
 * Fastify's own bodyLimit does not cover multipart (the plugin reads the raw request itself).
 */
import multipart from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import type { HttpApp } from '@agora/kit/http/app';
import { MiB } from '@agora/kit/http/app';
import { bearerSecurity, principalOf, requireUser } from '@agora/kit/http/auth';
import { problems } from '@agora/kit/http/schemas';
import { errors, isAppError } from '@agora/kit/errors';
import type { MediaContext } from '../domain/context.ts';
import { uploadMedia } from '../domain/upload-media.ts';
import { Media, UploadForm } from './schemas.ts';

export const MAX_FILE_BYTES = 10 * MiB;
/** The file plus room for the multipart envelope (boundaries, part headers); the gateway allows the same. */
export const UPLOAD_BODY_LIMIT = MAX_FILE_BYTES + 64 * 1024;
const FILE_FIELD = 'file';

const tooLarge = (detail: string) => errors.tooLarge('MEDIA.TOO_LARGE', 'The upload is too large', { detail });
const noFile = (detail: string) => errors.badRequest('MEDIA.NO_FILE', 'Send the image in a multipart part named "file"', { detail });
const notMultipart = () =>
  errors.unsupportedMediaType('MEDIA.NOT_MULTIPART', 'Send the image as multipart/form-data', { detail: 'One part, named "file", holding the image' });

async function refuseDeclaredOversize(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const declared = Number(request.headers['content-length']);
  if (declared > UPLOAD_BODY_LIMIT) {
    // The body stays unread, so this connection can't carry another request.
    void reply.header('connection', 'close');
    throw tooLarge(`At most ${MAX_FILE_BYTES} bytes of file (${UPLOAD_BODY_LIMIT} bytes of body) are accepted`);
  }
}

async function drain(stream: Readable): Promise<number> {
  let size = 0;
  for await (const chunk of stream) size += (chunk as Buffer).length;
  return size;
}

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Reads the form to its end and returns the bytes of its one `file` part. */
async function readFilePart(request: FastifyRequest): Promise<Buffer> {
  let file: Buffer | undefined;
  let truncated = false;
  const unexpected: string[] = [];
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file' && part.fieldname === FILE_FIELD && file === undefined && !truncated) {
        const bytes = await collect(part.file);
        if (part.file.truncated) truncated = true;
        else file = bytes;
      } else {
        unexpected.push(part.fieldname);
        if (part.type === 'file') await drain(part.file);
      }
    }
  } catch (error) {
    throw multipartProblem(error);
  }
  if (truncated) throw tooLarge(`At most ${MAX_FILE_BYTES} bytes of file are accepted`);
  if (file === undefined) throw noFile('The form has no file part named "file"');
  if (file.length === 0) throw noFile('The file is empty');
  if (unexpected.length > 0) {
    throw errors.badRequest('VALIDATION.FAILED', 'The request is invalid', {
      errors: [...new Set(unexpected)].map((name) => ({ path: `body/${name}`, message: name === FILE_FIELD ? 'must be sent once' : 'is not a known part' })),
    });
  }
  return file;
}

/** Errors of @fastify/multipart and busboy, as the problems they are. */
function multipartProblem(error: unknown): Error {
  if (isAppError(error)) return error;
  const code = (error as { code?: string }).code;
  switch (code) {
    case 'FST_REQ_FILE_TOO_LARGE':
      return tooLarge(`At most ${MAX_FILE_BYTES} bytes of file are accepted`);
    case 'FST_PARTS_LIMIT':
    case 'FST_FILES_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return errors.badRequest('VALIDATION.FAILED', 'The request is invalid', { errors: [{ path: 'body', message: 'has too many parts' }] });
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return notMultipart();
    default:
      // Busboy's complaints: no boundary, a malformed part header, a body cut short.
      return errors.badRequest('HTTP.MALFORMED_BODY', 'The multipart body could not be read', { cause: error });
  }
}

export async function uploadRoutes(app: HttpApp, ctx: MediaContext): Promise<void> {
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    // A file over the limit is cut off (`truncated`) rather than thrown, so the form is still read to its end.
    await scope.register(multipart, {
      throwFileSizeLimit: false,
      limits: { fileSize: MAX_FILE_BYTES, parts: 10, fields: 10, fieldSize: 64 * 1024, headerPairs: 100 },
    });
    scope.addContentTypeParser('*', (_request, _payload, done) => done(notMultipart(), undefined));

    const schema = {
      tags: ['media'],
      summary: 'Upload an image',
      description: [
        'A multipart/form-data body with one part, `file`: a JPEG, PNG, WebP or GIF of at most 10 MiB, its type judged from its content.',
        'The image is auto-oriented, stripped of metadata and bounded to 2048 px on its longest side; a WebP thumbnail (320 px) is made from it (the first frame of an animation).',
        'No `file` part or an empty one: 400 MEDIA.NO_FILE; other parts: 400 VALIDATION.FAILED; an image that does not decode: 400 MEDIA.INVALID_IMAGE;',
        'over 10 MiB (or too many pixels): 413 MEDIA.TOO_LARGE; not an accepted image type: 415 MEDIA.UNSUPPORTED_TYPE; not multipart: 415 MEDIA.NOT_MULTIPART.',
      ].join(' '),
      security: bearerSecurity,
      consumes: ['multipart/form-data'],
      body: UploadForm,
      response: { 201: Media, ...problems(400, 401, 403, 413, 415) },
    };
    const options = {
      onRequest: [requireUser, refuseDeclaredOversize],
      // The form is read by the handler as a stream; the body schema only documents it.
      validatorCompiler: () => () => true,
    };
    const handler = async (request: FastifyRequest, reply: FastifyReply) => {
      const file = await readFilePart(request);
      const media = await uploadMedia(ctx, principalOf(request).userId, file, { correlationId: request.id });
      return reply.code(201).send(media);
    };
    // POST /api/v1/media, documented once; the trailing-slash spelling is served too.
    scope.post('', { ...options, schema }, handler);
    scope.post('/', { ...options, prefixTrailingSlash: 'slash', schema: { ...schema, hide: true } }, handler);
  });
}
