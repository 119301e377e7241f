/**
 * Security headers on every response, proxied or not, set last (onSend) so a service can't
 * weaken them by accident. API responses get a CSP that allows nothing, since JSON is never meant
 * to render; Swagger UI under /docs needs its own scripts, styles and inline style attributes.
 * https://owasp.org/www-project-secure-headers/
 */
import type { FastifyInstance } from 'fastify';

export const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
export const DOCS_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // Swagger UI sets style attributes at run time.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const ALWAYS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'cross-origin-opener-policy': 'same-origin',
  'x-permitted-cross-domain-policies': 'none',
};

/** Media bytes are embedded by web clients on other origins (`<img>` is a no-cors request). */
const EMBEDDABLE = /^(image|video|audio)\//i;

const isDocs = (url: string): boolean => url === '/docs' || url.startsWith('/docs/') || url.startsWith('/docs?');

export function registerSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    void reply.headers(ALWAYS);
    void reply.header('content-security-policy', isDocs(request.url) ? DOCS_CSP : API_CSP);
    if (!reply.hasHeader('cross-origin-resource-policy')) {
      const type = reply.getHeader('content-type');
      void reply.header('cross-origin-resource-policy', typeof type === 'string' && EMBEDDABLE.test(type) ? 'cross-origin' : 'same-origin');
    }
    reply.removeHeader('server');
    reply.removeHeader('x-powered-by');
    return payload;
  });
}
