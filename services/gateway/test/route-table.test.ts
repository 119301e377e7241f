import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { services, type ServiceEntry } from '@agora/contracts/services';
import { createRouteTable, pathOf } from '../src/routing/route-table.ts';

const table = createRouteTable(services);
const serviceFor = (path: string): string | undefined => table.match(path)?.service.name;

describe('route table', () => {
  it('routes every prefix of the service list to its service', () => {
    for (const service of services) {
      for (const prefix of service.prefixes) {
        const concrete = prefix.replaceAll(/:[^/]+/g, '0190f5e4-0000-7000-8000-000000000001');
        assert.equal(serviceFor(concrete), service.name, prefix);
        assert.equal(serviceFor(`${concrete}/deeper/still`), service.name, `${prefix}/…`);
      }
    }
  });

  it('prefers the most specific prefix: more segments, then literal over parameter', () => {
    assert.equal(serviceFor('/api/v1/posts'), 'posts');
    assert.equal(serviceFor('/api/v1/posts/abc'), 'posts');
    assert.equal(serviceFor('/api/v1/posts/abc/comments'), 'comments');
    assert.equal(serviceFor('/api/v1/posts/abc/comments/def'), 'comments');
    assert.equal(serviceFor('/api/v1/posts/abc/like'), 'likes');
    assert.equal(serviceFor('/api/v1/posts/abc/likes'), 'likes');
    assert.equal(serviceFor('/api/v1/posts/abc/liked'), 'posts');
    assert.equal(serviceFor('/api/v1/users/abc'), 'users');
    assert.equal(serviceFor('/api/v1/users/abc/posts'), 'posts');
    assert.equal(serviceFor('/api/v1/users/abc/followers'), 'users');
    // A user named like a sub-resource is still looked up by users.
    assert.equal(serviceFor('/api/v1/users/by-username/posts'), 'users');
    assert.equal(serviceFor('/api/v1/users/by-username/followers'), 'users');
    assert.equal(serviceFor('/api/v1/comments/abc/like'), 'likes');
    assert.equal(serviceFor('/api/v1/comments/abc'), 'comments');
  });

  it('puts the more specific prefix first in its order', () => {
    const order = table.routes.map((route) => route.prefix);
    assert.ok(order.indexOf('/api/v1/posts/:id/comments') < order.indexOf('/api/v1/posts'));
    assert.ok(order.indexOf('/api/v1/users/:id/posts') < order.indexOf('/api/v1/users'));
  });

  it('prefers a literal segment over a parameter at the same depth', () => {
    const list: ServiceEntry[] = [
      { name: 'param', prefixes: ['/a/:id/x'], port: 1, built: true },
      { name: 'literal', prefixes: ['/a/me/x'], port: 2, built: true },
    ];
    const local = createRouteTable(list);
    assert.equal(local.match('/a/me/x')?.service.name, 'literal');
    assert.equal(local.match('/a/you/x')?.service.name, 'param');
  });

  it('matches whole segments only', () => {
    assert.equal(serviceFor('/api/v1/authx'), undefined);
    assert.equal(serviceFor('/api/v1/auth'), 'identity');
    assert.equal(serviceFor('/api/v1/auth/'), 'identity');
    assert.equal(serviceFor('/api/v1'), undefined);
    assert.equal(serviceFor('/api/v2/auth'), undefined);
    assert.equal(serviceFor('/'), undefined);
    assert.equal(serviceFor('/API/V1/AUTH'), undefined);
  });

  it('never lets a parameter match an empty segment', () => {
    assert.equal(serviceFor('/api/v1/posts//comments'), 'posts');
    assert.equal(serviceFor('/api/v1//auth'), undefined);
  });

  it('treats OpenAPI templates as paths with a parameter segment', () => {
    assert.equal(serviceFor('/api/v1/posts/{id}/comments'), 'comments');
    assert.equal(serviceFor('/api/v1/users/{id}/posts'), 'posts');
  });

  it('refuses two services claiming prefixes of the same shape', () => {
    const clash: ServiceEntry[] = [
      { name: 'one', prefixes: ['/x/:a'], port: 1, built: true },
      { name: 'two', prefixes: ['/x/:b'], port: 2, built: true },
    ];
    assert.throws(() => createRouteTable(clash), /overlap/);
  });

  it('refuses malformed prefixes', () => {
    assert.throws(() => createRouteTable([{ name: 'bad', prefixes: ['api/v1'], port: 1, built: true }]), /start/);
    assert.throws(() => createRouteTable([{ name: 'bad', prefixes: ['/api/'], port: 1, built: true }]), /start/);
    assert.throws(() => createRouteTable([{ name: 'bad', prefixes: ['/api//x'], port: 1, built: true }]), /empty/);
  });

  it('takes the path part of a URL', () => {
    assert.equal(pathOf('/a/b?c=d?e'), '/a/b');
    assert.equal(pathOf('/a/b'), '/a/b');
  });
});
