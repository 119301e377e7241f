import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { topicMatches } from '../../src/bus/topic-pattern.ts';

void describe('topicMatches', () => {
  const cases: Array<[pattern: string, key: string, matches: boolean]> = [
    ['order.created', 'order.created', true],
    ['order.created', 'order.cancelled', false],
    ['order.created', 'order.created.v2', false],
    ['order.*', 'order.created', true],
    ['order.*', 'order', false],
    ['order.*', 'order.created.v2', false],
    ['*.created', 'post.created', true],
    ['order.#', 'order', true],
    ['order.#', 'order.created.v2', true],
    ['#', 'anything.at.all', true],
    ['#.deleted', 'user.deleted', true],
    ['#.deleted', 'deleted', true],
    ['#.deleted', 'user.deleted.not', false],
    ['a.#.z', 'a.b.c.z', true],
    ['a.#.z', 'a.z', true],
    ['a.*.z', 'a.z', false],
  ];
  for (const [pattern, key, matches] of cases) {
    void it(`${matches ? 'matches' : 'does not match'} ${key} with ${pattern}`, () => {
      assert.equal(topicMatches(pattern, key), matches);
    });
  }
});
