/**
 * Plain node:http requests for what fetch won't send as is: dot segments in the path, chunked
 * bodies of unknown length, and large uploads answered before they are fully written.
 */
import http from 'node:http';

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface RawRequestOptions {
  method?: string;
  headers?: Record<string, string>;
  /** Sent with Content-Length unless `chunked`. */
  body?: Buffer;
  /** Send the body in chunks without a Content-Length. */
  chunked?: boolean;
}

export function rawRequest(base: string, path: string, options: RawRequestOptions = {}): Promise<RawResponse> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    let answered = false;
    const request = http.request({
      host: url.hostname,
      port: url.port,
      method: options.method ?? 'GET',
      path,
      headers: {
        ...(options.body && !options.chunked ? { 'content-length': String(options.body.length) } : {}),
        ...options.headers,
      },
      agent: false,
    });
    request.on('response', (response) => {
      answered = true;
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    request.on('error', (error: NodeJS.ErrnoException) => {
      // The server may answer early (413) and close while the body is still being written.
      if (answered && (error.code === 'EPIPE' || error.code === 'ECONNRESET')) return;
      reject(error);
    });
    if (!options.body) {
      request.end();
      return;
    }
    if (!options.chunked) {
      request.end(options.body);
      return;
    }
    const body = options.body;
    const CHUNK = 64 * 1024;
    let offset = 0;
    const writeMore = (): void => {
      while (offset < body.length && !request.destroyed) {
        const chunk = body.subarray(offset, offset + CHUNK);
        offset += chunk.length;
        if (!request.write(chunk)) {
          request.once('drain', writeMore);
          return;
        }
      }
      if (!request.destroyed) request.end();
    };
    writeMore();
  });
}
