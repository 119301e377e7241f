/**
 * Request bodies pass through to the services unparsed, whatever their type (multipart for
 * media, JSON elsewhere): the service validates them. The gateway only bounds their size, and does
 * so before anything reaches a service:
 * - a declared Content-Length over the limit is refused without forwarding anything. A client
 *   that doesn't wait for `100 Continue` (fetch doesn't) is still writing its body, and closing
 *   the connection under it makes it see a broken pipe instead of the 413: so a body up to
 *   LINGER_LIMIT is read and discarded first (as nginx does), and only a larger one is cut off;
 * - a body of declared length within the limit is streamed upstream as it arrives (Node's parser
 *   never delivers more than the declared length);
 * - a chunked body of unknown length is read into memory up to the limit and forwarded only once
 *   complete, so an oversized one is refused (413) and nothing of it is ever sent upstream.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MiB } from '@agora/kit/http/app';
import { errors } from '@agora/kit/errors';
import { pathOf } from '../routing/route-table.ts';

export const JSON_BODY_LIMIT = MiB;
/** 10 MiB of file plus room for the multipart envelope; the media service enforces the exact 10 MiB. */
export const MEDIA_BODY_LIMIT = 10 * MiB + 64 * 1024;
export const MAX_BODY_LIMIT = MEDIA_BODY_LIMIT;
/** The most an oversized body is read (and thrown away) so its sender can see the 413. */
export const LINGER_LIMIT = 32 * MiB;
const LINGER_TIMEOUT_MS = 10_000;

const MEDIA_UPLOAD = /^\/api\/v1\/media\/?$/;

export function bodyLimitFor(method: string, path: string): number {
  return method === 'POST' && MEDIA_UPLOAD.test(path) ? MEDIA_BODY_LIMIT : JSON_BODY_LIMIT;
}

const tooLarge = (limit: number) =>
  errors.tooLarge('HTTP.PAYLOAD_TOO_LARGE', 'The request body is too large', { detail: `At most ${limit} bytes are accepted here` });

/** onRequest hook: refuses a declared length over the limit before the body is read. */
export async function refuseDeclaredOversize(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const declared = request.headers['content-length'];
  if (declared === undefined) return;
  const limit = bodyLimitFor(request.method, pathOf(request.url));
  if (Number(declared) > limit) {
    if (Number(declared) > LINGER_LIMIT || !(await discardBody(request))) {
      // The body stays unread, so this connection can't carry another request.
      void reply.header('connection', 'close');
    }
    throw tooLarge(limit);
  }
}

/** Reads the request body to its end and drops it; false when it didn't end in time. */
function discardBody(request: FastifyRequest): Promise<boolean> {
  const body = request.raw;
  return new Promise((resolve) => {
    const finish = (ended: boolean) => {
      clearTimeout(timer);
      body.removeListener('end', onEnd);
      body.removeListener('error', onFail);
      body.removeListener('close', onFail);
      resolve(ended);
    };
    const onEnd = () => finish(true);
    const onFail = () => finish(false);
    const timer = setTimeout(onFail, LINGER_TIMEOUT_MS);
    body.on('end', onEnd);
    body.on('error', onFail);
    body.on('close', onFail);
    body.resume();
  });
}

/** Replaces the instance's parsers with one that hands every body through untouched. */
export function passBodiesThrough(api: FastifyInstance): void {
  api.removeAllContentTypeParsers();
  api.addContentTypeParser('*', (request, payload, done) => {
    if (request.headers['content-length'] !== undefined) {
      done(null, payload);
      return;
    }
    const limit = bodyLimitFor(request.method, pathOf(request.url));
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanUp = () => {
      payload.removeListener('data', onData);
      payload.removeListener('end', onEnd);
      payload.removeListener('error', onError);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanUp();
        done(tooLarge(limit), undefined);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanUp();
      done(null, Buffer.concat(chunks, size));
    };
    const onError = (error: Error) => {
      cleanUp();
      done(errors.badRequest('HTTP.MALFORMED_BODY', 'The request body could not be read', { cause: error }), undefined);
    };
    payload.on('data', onData);
    payload.on('end', onEnd);
    payload.on('error', onError);
  });
}
