import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Type } from 'typebox';
import { errors } from '../../src/errors.ts';
import { StrictObject, PageQuery } from '../../src/http/schemas.ts';
import type { HttpApp } from '../../src/http/app.ts';
import { given, problemOf } from './support.ts';

const OrderBody = StrictObject({
  sku: Type.String(),
  quantity: Type.Integer({ minimum: 1 }),
  lines: Type.Optional(Type.Array(StrictObject({ note: Type.String() }))),
});

/** Echo routes: what the handler received is what the response shows. */
function echoRoutes(app: HttpApp): void {
  app.post('/orders', { schema: { body: OrderBody } }, async (request) => ({ received: request.body }));
  app.get('/orders', { schema: { querystring: PageQuery } }, async (request) => ({ query: request.query, limitType: typeof request.query.limit }));
  app.get('/orders/:n', { schema: { params: StrictObject({ n: Type.Integer() }) } }, async (request) => ({ n: request.params.n, nType: typeof request.params.n }));
}

void describe('request validation', () => {
  void it('passes a valid body to the handler as sent', async (t) => {
    const app = await given.app(t, echoRoutes);
    const response = await app.inject({ method: 'POST', url: '/orders', payload: { sku: 'A-1', quantity: 2 } });
    assert.equal(response.statusCode, 200, response.body);
    assert.deepEqual(response.json(), { received: { sku: 'A-1', quantity: 2 } });
  });

  void it('refuses an unknown body property at body/<name>', async (t) => {
    const app = await given.app(t, echoRoutes);
    const response = await app.inject({ method: 'POST', url: '/orders', payload: { sku: 'A-1', quantity: 2, foo: true } });
    const problem = problemOf(response, 400);
    assert.equal(problem.code, 'VALIDATION.FAILED');
    assert.deepEqual(problem.errors, [{ path: 'body/foo', message: 'is not a known property' }]);
  });

  void it('refuses a value of the wrong type at body/<name>', async (t) => {
    const app = await given.app(t, echoRoutes);
    const response = await app.inject({ method: 'POST', url: '/orders', payload: { sku: true, quantity: 2 } });
    const problem = problemOf(response, 400);
    assert.deepEqual(problem.errors?.map((error) => error.path), ['body/sku']);
  });

  void it('does not coerce a body number into a string, nor a body string into an integer', async (t) => {
    const app = await given.app(t, echoRoutes);
    const numberForString = await app.inject({ method: 'POST', url: '/orders', payload: { sku: 123, quantity: 2 } });
    assert.deepEqual(problemOf(numberForString, 400).errors?.map((error) => error.path), ['body/sku']);
    const stringForInteger = await app.inject({ method: 'POST', url: '/orders', payload: { sku: 'A-1', quantity: '2' } });
    assert.deepEqual(problemOf(stringForInteger, 400).errors?.map((error) => error.path), ['body/quantity']);
  });

  void it('names a missing property and a nested one by path, reporting every error at once', async (t) => {
    const app = await given.app(t, echoRoutes);
    const response = await app.inject({ method: 'POST', url: '/orders', payload: { quantity: 0, lines: [{ note: 'ok' }, { note: 5 }] } });
    const paths = problemOf(response, 400).errors?.map((error) => error.path).sort();
    assert.deepEqual(paths, ['body/lines/1/note', 'body/quantity', 'body/sku']);
  });

  void it('coerces a query integer and applies its default', async (t) => {
    const app = await given.app(t, echoRoutes);
    const given5 = await app.inject({ url: '/orders?limit=5' });
    assert.equal(given5.statusCode, 200, given5.body);
    assert.deepEqual(given5.json(), { query: { limit: 5 }, limitType: 'number' });
    const byDefault = await app.inject({ url: '/orders' });
    assert.deepEqual(byDefault.json(), { query: { limit: 20 }, limitType: 'number' });
  });

  void it('refuses a query value that is not an integer at querystring/<name>', async (t) => {
    const app = await given.app(t, echoRoutes);
    const response = await app.inject({ url: '/orders?limit=five' });
    assert.deepEqual(problemOf(response, 400).errors?.map((error) => error.path), ['querystring/limit']);
  });

  void it('coerces a path parameter to its declared integer type', async (t) => {
    const app = await given.app(t, echoRoutes);
    const response = await app.inject({ url: '/orders/42' });
    assert.deepEqual(response.json(), { n: 42, nType: 'number' });
    assert.deepEqual(problemOf(await app.inject({ url: '/orders/abc' }), 400).errors?.map((error) => error.path), ['params/n']);
  });
});

void describe('body parsing', () => {
  void it('answers malformed JSON with 400 HTTP.MALFORMED_BODY', async (t) => {
    const app = await given.app(t, echoRoutes);
    const response = await app.inject({ method: 'POST', url: '/orders', headers: { 'content-type': 'application/json' }, payload: '{"sku": "A-1",' });
    assert.equal(problemOf(response, 400).code, 'HTTP.MALFORMED_BODY');
  });

  void it('answers an empty JSON body with 400 HTTP.MALFORMED_BODY', async (t) => {
    const app = await given.app(t, echoRoutes);
    const response = await app.inject({ method: 'POST', url: '/orders', headers: { 'content-type': 'application/json' }, payload: '' });
    assert.equal(problemOf(response, 400).code, 'HTTP.MALFORMED_BODY');
  });

  void it('accepts a body at the body limit and answers one byte more with 413 HTTP.PAYLOAD_TOO_LARGE', async (t) => {
    const body = JSON.stringify({ sku: 'x'.repeat(40), quantity: 1 });
    const app = await given.app(t, echoRoutes, { bodyLimit: Buffer.byteLength(body) });
    const atLimit = await app.inject({ method: 'POST', url: '/orders', headers: { 'content-type': 'application/json' }, payload: body });
    assert.equal(atLimit.statusCode, 200, atLimit.body);
    const over = await app.inject({ method: 'POST', url: '/orders', headers: { 'content-type': 'application/json' }, payload: `${body} ` });
    assert.equal(problemOf(over, 413).code, 'HTTP.PAYLOAD_TOO_LARGE');
  });

  void it('answers a content type it cannot parse with 415 HTTP.UNSUPPORTED_MEDIA_TYPE', async (t) => {
    const app = await given.app(t, echoRoutes);
    const response = await app.inject({ method: 'POST', url: '/orders', headers: { 'content-type': 'application/xml' }, payload: '<order/>' });
    assert.equal(problemOf(response, 415).code, 'HTTP.UNSUPPORTED_MEDIA_TYPE');
  });
});

void describe('routing errors', () => {
  void it('answers an unknown route with 404 HTTP.NOT_FOUND naming the method and path, not the query', async (t) => {
    const app = await given.app(t);
    const response = await app.inject({ url: '/nowhere?token=secret' });
    const problem = problemOf(response, 404);
    assert.equal(problem.code, 'HTTP.NOT_FOUND');
    assert.equal(problem.detail, 'GET /nowhere');
    assert.ok(response.headers['x-request-id']);
  });

  void it('answers a malformed URL with a 400 problem that carries the request id', async (t) => {
    const app = await given.app(t, (app) => app.get('/x/:id', async () => ({ ok: true })));
    const response = await app.inject({ url: '/x/%zz', headers: { 'x-request-id': 'bad-url-1' } });
    assert.equal(problemOf(response, 400).code, 'HTTP.MALFORMED_URL');
    assert.equal(response.headers['x-request-id'], 'bad-url-1');
    const unrouted = await app.inject({ url: '/y/%zz' });
    assert.equal(problemOf(unrouted, 400).code, 'HTTP.MALFORMED_URL');
    assert.ok(unrouted.headers['x-request-id']);
  });
});

void describe('handler errors', () => {
  void it('turns an unexpected error into a 500 INTERNAL that reveals nothing of it', async (t) => {
    const app = await given.app(t, (app) => {
      app.get('/boom', async () => {
        throw new Error('connect ECONNREFUSED postgres://admin:hunter2@db-7.internal:5432');
      });
    });
    const response = await app.inject({ url: '/boom' });
    const problem = problemOf(response, 500);
    assert.deepEqual(problem, { type: '/problems/internal', title: 'Internal Server Error', status: 500, code: 'INTERNAL' });
    for (const leak of ['hunter2', 'ECONNREFUSED', 'db-7', 'stack', 'errors.test.ts']) assert.ok(!response.body.includes(leak), `body leaks ${leak}`);
  });

  void it('turns a thrown error with a 5xx statusCode into a plain 500 INTERNAL too', async (t) => {
    const app = await given.app(t, (app) => {
      app.get('/upstream', async () => {
        throw Object.assign(new Error('upstream payments-7 said no'), { statusCode: 502 });
      });
    });
    const response = await app.inject({ url: '/upstream' });
    assert.equal(problemOf(response, 500).code, 'INTERNAL');
    assert.ok(!response.body.includes('payments-7'));
  });

  void it('answers an AppError with its status, code, detail, field errors and headers', async (t) => {
    const app = await given.app(t, (app) => {
      app.get('/limited', async () => {
        throw errors.tooManyRequests('RATE.LIMITED', 'Too many requests', {
          detail: 'Try again in 30 seconds',
          errors: [{ path: 'body/email', message: 'too many attempts' }],
          headers: { 'retry-after': '30' },
          cause: new Error('counter=31 key=ip:10.0.0.1'),
        });
      });
    });
    const response = await app.inject({ url: '/limited' });
    const problem = problemOf(response, 429);
    assert.deepEqual(problem, {
      type: '/problems/rate.limited',
      title: 'Too many requests',
      status: 429,
      code: 'RATE.LIMITED',
      detail: 'Try again in 30 seconds',
      errors: [{ path: 'body/email', message: 'too many attempts' }],
    });
    assert.equal(response.headers['retry-after'], '30');
    assert.ok(!response.body.includes('10.0.0.1'), 'the cause stays internal');
  });

  void it('serialises a response through its schema, dropping fields the schema does not name', async (t) => {
    const app = await given.app(t, (app) => {
      app.get('/me', { schema: { response: { 200: Type.Object({ a: Type.String() }) } } }, async () => ({ a: 'visible', passwordHash: '$argon2id$v=19$secret' }));
    });
    const response = await app.inject({ url: '/me' });
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), { a: 'visible' });
    assert.ok(!response.body.includes('argon2'));
  });
});
