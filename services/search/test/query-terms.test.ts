/** How a typed query becomes what the database matches (pure rules of domain/query-terms.ts). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isAppError } from '@agora/kit/errors';
import { readQuery, termsOf } from '../src/domain/query-terms.ts';

describe('search: query terms', () => {
  describe('readQuery', () => {
    it('trims, reads control characters as spaces, and counts characters, not UTF-16 units', () => {
      assert.equal(readQuery('  hello world \n'), 'hello world');
      assert.equal(readQuery('a\u0000b\u0007c'), 'a b c');
      assert.equal(readQuery('🙂'.repeat(200)), '🙂'.repeat(200));
      assert.equal(readQuery(` ${'x'.repeat(200)} `), 'x'.repeat(200));
    });

    it('refuses nothing at all and more than 200 characters with 400 VALIDATION.FAILED on q', () => {
      for (const raw of ['', '   ', '\u0000\t', 'x'.repeat(201), '🙂'.repeat(201)]) {
        assert.throws(
          () => readQuery(raw),
          (error: unknown) => isAppError(error) && error.status === 400 && error.code === 'VALIDATION.FAILED' && error.errors?.[0]?.path === 'querystring/q',
          JSON.stringify(raw),
        );
      }
    });

    it('makes lone surrogates well formed', () => {
      assert.equal(readQuery('a\uD800b'), 'a\uFFFDb');
    });
  });

  describe('termsOf', () => {
    it('matches the last word as a prefix when the text ends with it', () => {
      assert.deepEqual(termsOf('alic'), { words: 'alic', prefix: { head: '', last: 'alic' }, fuzzy: 'alic' });
      assert.deepEqual(termsOf('alice wond'), { words: 'alice wond', prefix: { head: 'alice ', last: 'wond' }, fuzzy: 'alice wond' });
      assert.deepEqual(termsOf('naïve caf'), { words: 'naïve caf', prefix: { head: 'naïve ', last: 'caf' }, fuzzy: 'naïve caf' });
    });

    it('has no prefix when the text ends otherwise, or the last word is excluded or joined by punctuation', () => {
      for (const text of ['"alice smith"', 'alice -smith', 'alice smith.', "o'neil", 'x:*', 'a&b']) assert.equal(termsOf(text)?.prefix, null, text);
    });

    it('leaves exclusions out of what names are compared with', () => {
      assert.equal(termsOf('lamp -desk -"floor lamp"')?.fuzzy, 'lamp');
      assert.equal(termsOf('lamp (-desk)')?.fuzzy, 'lamp');
    });

    it('drops alternatives made only of exclusions, and has nothing to look for without a word', () => {
      assert.equal(termsOf('cats or -dogs')?.words, 'cats');
      assert.equal(termsOf('-dogs OR cats or birds')?.words, 'cats or birds');
      assert.equal(termsOf('cats -dogs or birds')?.words, 'cats -dogs or birds');
      for (const text of ['-dogs', '-dogs or -cats', '&|!():*\'"\\', '-"a b"', '—', '"" or ""']) assert.equal(termsOf(text), null, text);
    });
  });
});
