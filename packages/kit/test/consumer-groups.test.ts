import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Type } from 'typebox';
import { consumerGroups } from '../src/service.ts';

describe('consumerGroups', () => {
  const handle = async () => undefined;
  it('merges the handlers and schemas of a service’s consumer files', () => {
    const merged = consumerGroups({ handlers: { 'a.b': handle }, schemas: { 'a.b': Type.Object({}) } }, { handlers: { 'c.d': handle } });
    assert.deepEqual(Object.keys(merged.handlers), ['a.b', 'c.d']);
    assert.deepEqual(Object.keys(merged.schemas), ['a.b']);
  });
  it('refuses two files handling the same event type', () => {
    assert.throws(() => consumerGroups({ handlers: { 'a.b': handle } }, { handlers: { 'a.b': handle } }), /two consumer groups handle a.b/);
  });
});
