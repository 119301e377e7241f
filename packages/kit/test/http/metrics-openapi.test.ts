import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Type } from 'typebox';
import { StrictObject, IdParams, problems } from '../../src/http/schemas.ts';
import { bearerSecurity } from '../../src/http/auth.ts';
import type { HttpApp } from '../../src/http/app.ts';
import { given } from './support.ts';

function catalogRoutes(app: HttpApp): void {
  app.get('/products/:id', { schema: { params: IdParams, response: { 404: problems(404)[404]! } } }, async () => ({ ok: true }));
  app.post(
    '/products',
    { schema: { summary: 'Create a product', security: bearerSecurity, body: StrictObject({ name: Type.String() }), response: { 201: Type.Object({ id: Type.String() }) } } },
    async (_request, reply) => reply.status(201).send({ id: 'p-1' }),
  );
}

/** The value of one sample line of the Prometheus text format, found by its name and labels. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([\w:]+)\{(.*)\} (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...match[2]!.matchAll(/(\w+)="([^"]*)"/g)].map((pair) => [pair[1], pair[2]]));
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) return Number(match[3]);
  }
  return undefined;
}

void describe('GET /metrics', () => {
  void it('counts requests by route template, method and status, never by raw URL', async (t) => {
    const app = await given.app(t, catalogRoutes);
    const id = '0b6f3c8e-2c4d-4f7e-9a7b-3f1d2e5c6a70';
    await app.inject({ url: `/products/${id}` });
    await app.inject({ url: `/products/${id}` });
    await app.inject({ url: '/products/not-a-uuid' });
    await app.inject({ url: '/no/such/route' });
    const response = await app.inject({ url: '/metrics' });
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-type']), /^text\/plain/);
    const text = response.body;
    const count = (labels: Record<string, string>) => sample(text, 'http_request_duration_seconds_count', { service: 'test', ...labels });
    assert.equal(count({ method: 'GET', route: '/products/:id', status_code: '200' }), 2);
    assert.equal(count({ method: 'GET', route: '/products/:id', status_code: '400' }), 1);
    assert.equal(count({ method: 'GET', route: 'unmatched', status_code: '404' }), 1);
    assert.ok(!text.includes(id), 'a raw id would explode the label cardinality');
    assert.ok(!text.includes('/no/such/route'));
  });

  void it('exposes a gauge read at scrape time, and still answers when its reading fails', async (t) => {
    let backlog = 3;
    const app = await given.app(t, (app) => {
      app.metrics.gauge('outbox_backlog', 'Rows waiting in the outbox', () => backlog);
      app.metrics.gauge('dlq_depth', 'Messages in the dead-letter queue', () => Promise.reject(new Error('broker down')));
    });
    assert.equal(sample((await app.inject({ url: '/metrics' })).body, 'outbox_backlog', { service: 'test' }), 3);
    backlog = 11;
    const response = await app.inject({ url: '/metrics' });
    assert.equal(response.statusCode, 200);
    assert.equal(sample(response.body, 'outbox_backlog', { service: 'test' }), 11);
    assert.match(response.body, /# HELP dlq_depth Messages in the dead-letter queue/);
  });
});

void describe('GET /openapi.json', () => {
  void it('describes the routes the service added, with their schemas', async (t) => {
    const app = await given.app(t, catalogRoutes, { openapi: { title: 'Catalog', version: '2.3.0' } });
    const response = await app.inject({ url: '/openapi.json' });
    assert.equal(response.statusCode, 200);
    const document = response.json();
    assert.equal(document.openapi, '3.1.0');
    assert.deepEqual(document.info, { title: 'Catalog', version: '2.3.0' });
    assert.deepEqual(Object.keys(document.paths).sort(), ['/products', '/products/{id}']);
    const create = document.paths['/products'].post;
    assert.equal(create.summary, 'Create a product');
    assert.deepEqual(create.security, [{ bearerAuth: [] }]);
    assert.deepEqual(create.requestBody.content['application/json'].schema.required, ['name']);
    assert.equal(create.requestBody.content['application/json'].schema.additionalProperties, false);
    assert.ok(create.responses['201']);
    assert.deepEqual(document.paths['/products/{id}'].get.parameters.map((parameter: { in: string; name: string }) => `${parameter.in}:${parameter.name}`), ['path:id']);
    assert.deepEqual(document.components.securitySchemes.bearerAuth, { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  });

  void it('leaves out the platform routes (health, metrics, the document itself)', async (t) => {
    const app = await given.app(t);
    const document = (await app.inject({ url: '/openapi.json' })).json();
    assert.equal(document.info.title, 'Agora test');
    assert.deepEqual(document.paths ?? {}, {});
    for (const hidden of ['/health/live', '/health/ready', '/metrics', '/openapi.json']) {
      assert.notEqual((await app.inject({ url: hidden })).statusCode, 404, `${hidden} is still served`);
    }
  });
});
