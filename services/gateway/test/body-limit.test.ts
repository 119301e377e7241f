import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startGateway, type TestGateway } from './support/gateway.ts';
import { startService, type EchoReply, type FakeService } from './support/upstreams.ts';
import { rawRequest, type RawResponse } from './support/http.ts';

const MiB = 1024 * 1024;

const multipart = (file: Buffer): { body: Buffer; type: string } => {
  const boundary = 'agora-test-boundary';
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.png"\r\nContent-Type: image/png\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { body: Buffer.concat([head, file, tail]), type: `multipart/form-data; boundary=${boundary}` };
};

const code = (response: RawResponse): string => (JSON.parse(response.body) as { code: string }).code;

describe('request body limits', () => {
  let posts: FakeService;
  let media: FakeService;
  let gateway: TestGateway;
  let url: string;

  before(async () => {
    posts = await startService('posts');
    media = await startService('media');
    gateway = await startGateway({ built: ['identity', 'posts', 'media'], upstreams: { posts: posts.url, media: media.url } });
    url = await gateway.listen();
  });

  after(async () => {
    await gateway.close();
    await posts.close();
    await media.close();
  });

  const json = (size: number) => Buffer.alloc(size, 0x20);

  it('accepts a 1 MiB JSON body and refuses 1 MiB + 1 with 413 before anything is sent upstream', async () => {
    const accepted = await rawRequest(url, '/api/v1/posts', { method: 'POST', body: json(MiB), headers: { 'content-type': 'application/json' } });
    assert.equal(accepted.status, 200);
    assert.equal((JSON.parse(accepted.body) as EchoReply).bodyLength, MiB);

    const before = posts.started();
    const refused = await rawRequest(url, '/api/v1/posts', { method: 'POST', body: json(MiB + 1), headers: { 'content-type': 'application/json' } });
    assert.equal(refused.status, 413);
    assert.match(String(refused.headers['content-type']), /^application\/problem\+json/);
    assert.equal(code(refused), 'HTTP.PAYLOAD_TOO_LARGE');
    assert.ok(refused.headers['x-request-id']);
    assert.equal(posts.started(), before);
  });

  it('caps a chunked body of unknown length the same way, and forwards one within the limit whole', async () => {
    const before = posts.started();
    const refused = await rawRequest(url, '/api/v1/posts', { method: 'POST', body: json(MiB + 1), chunked: true, headers: { 'content-type': 'application/json' } });
    assert.equal(refused.status, 413);
    assert.equal(code(refused), 'HTTP.PAYLOAD_TOO_LARGE');
    assert.equal(posts.started(), before, 'part of an oversized body reached the service');

    const accepted = await rawRequest(url, '/api/v1/posts', { method: 'POST', body: json(300 * 1024), chunked: true, headers: { 'content-type': 'application/json' } });
    assert.equal(accepted.status, 200);
    const echo = JSON.parse(accepted.body) as EchoReply;
    assert.equal(echo.bodyLength, 300 * 1024);
    assert.equal(echo.headers['content-length'], String(300 * 1024));
  });

  it('accepts a 10 MiB media upload, raw or as multipart', async () => {
    const raw = await rawRequest(url, '/api/v1/media', { method: 'POST', body: Buffer.alloc(10 * MiB, 1), headers: { 'content-type': 'application/octet-stream' } });
    assert.equal(raw.status, 200);
    assert.equal((JSON.parse(raw.body) as EchoReply).bodyLength, 10 * MiB);

    const form = multipart(Buffer.alloc(10 * MiB, 2));
    const uploaded = await rawRequest(url, '/api/v1/media', { method: 'POST', body: form.body, headers: { 'content-type': form.type } });
    assert.equal(uploaded.status, 200);
    const echo = JSON.parse(uploaded.body) as EchoReply;
    assert.equal(echo.bodyLength, form.body.length);
    assert.equal(echo.headers['content-type'], form.type);
  });

  it('refuses an 11 MiB media upload with 413, declared or chunked', async () => {
    const before = media.started();
    const form = multipart(Buffer.alloc(11 * MiB, 3));
    const declared = await rawRequest(url, '/api/v1/media', { method: 'POST', body: form.body, headers: { 'content-type': form.type } });
    assert.equal(declared.status, 413);
    assert.equal(code(declared), 'HTTP.PAYLOAD_TOO_LARGE');
    const chunked = await rawRequest(url, '/api/v1/media', { method: 'POST', body: form.body, chunked: true, headers: { 'content-type': form.type } });
    assert.equal(chunked.status, 413);
    assert.equal(media.started(), before);
  });

  it('keeps the 1 MiB limit on every other media route', async () => {
    const response = await rawRequest(url, '/api/v1/media/0190f5e4-0000-7000-8000-000000000001', {
      method: 'PUT',
      body: Buffer.alloc(2 * MiB),
      headers: { 'content-type': 'application/octet-stream' },
    });
    assert.equal(response.status, 413);
  });

  it('answers a malformed Content-Length with 400, never a 5xx', async () => {
    const response = await rawRequest(url, '/api/v1/posts', { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': 'abc' } });
    assert.equal(response.status, 400);
  });
});
