import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HttpApp } from '../../src/http/app.ts';
import { given } from './support.ts';

function idRoutes(app: HttpApp): void {
  app.get('/ids', async (request) => ({ requestId: request.id, correlationId: request.correlationId }));
}

void describe('request ids', () => {
  void it('echoes a sane X-Request-Id on the response and to the handler', async (t) => {
    const app = await given.app(t, idRoutes);
    const id = 'gw-01HZX.trace:7_a';
    const response = await app.inject({ url: '/ids', headers: { 'x-request-id': id } });
    assert.equal(response.headers['x-request-id'], id);
    assert.equal(response.json().requestId, id);
  });

  void it('replaces an X-Request-Id that is too long or not a plain token', async (t) => {
    const app = await given.app(t, idRoutes);
    for (const bad of ['a'.repeat(300), 'two words', 'a'.repeat(129), '<script>', '']) {
      const response = await app.inject({ url: '/ids', headers: { 'x-request-id': bad } });
      const sent = String(response.headers['x-request-id']);
      assert.notEqual(sent, bad);
      assert.match(sent, /^[\w.:-]{1,128}$/, `replacement for ${JSON.stringify(bad.slice(0, 20))}`);
      assert.equal(response.json().requestId, sent);
    }
    const longest = 'b'.repeat(128);
    assert.equal((await app.inject({ url: '/ids', headers: { 'x-request-id': longest } })).headers['x-request-id'], longest);
  });

  void it('gives each request without an id a fresh one', async (t) => {
    const app = await given.app(t, idRoutes);
    const first = await app.inject({ url: '/ids' });
    const second = await app.inject({ url: '/ids' });
    assert.ok(first.headers['x-request-id']);
    assert.notEqual(first.headers['x-request-id'], second.headers['x-request-id']);
  });

  void it('sends the request id on error responses too', async (t) => {
    const app = await given.app(t, (app) => {
      app.get('/boom', async () => {
        throw new Error('boom');
      });
    });
    for (const url of ['/boom', '/missing']) {
      const response = await app.inject({ url, headers: { 'x-request-id': 'err-1' } });
      assert.ok(response.statusCode >= 400);
      assert.equal(response.headers['x-request-id'], 'err-1', url);
    }
  });

  void it('takes a sane X-Correlation-Id and otherwise correlates by the request id', async (t) => {
    const app = await given.app(t, idRoutes);
    const carried = await app.inject({ url: '/ids', headers: { 'x-request-id': 'hop-2', 'x-correlation-id': 'saga-42' } });
    assert.deepEqual(carried.json(), { requestId: 'hop-2', correlationId: 'saga-42' });
    const insane = await app.inject({ url: '/ids', headers: { 'x-request-id': 'hop-3', 'x-correlation-id': 'not sane' } });
    assert.deepEqual(insane.json(), { requestId: 'hop-3', correlationId: 'hop-3' });
    const absent = (await app.inject({ url: '/ids' })).json();
    assert.equal(absent.correlationId, absent.requestId);
  });
});
