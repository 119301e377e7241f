/**
 * From what someone typed to what the database matches. The text goes to websearch_to_tsquery
 * as it is (quotes make phrases, `or` alternatives, `-word` exclusions; it accepts any input and
 * never fails on syntax). Two things are added:
 * - the last word, when the text ends with it, also matches as a prefix ("alic" finds alice while
 *   it is being typed); it is passed on as letters and digits only, so no tsquery syntax reaches
 *   to_tsquery;
 * - names are compared with the text by trigram similarity (typos), minus the excluded words.
 * Nothing is searched for when no word is left to look for (only exclusions or punctuation).
 */
import { errors } from '@agora/kit/errors';

export const MAX_QUERY_LENGTH = 200;

export interface QueryTerms {
  words: string;
  prefix: { head: string; last: string } | null;
  fuzzy: string;
}

/** Control characters (NUL among them, which PostgreSQL refuses in text) read as spaces. */
const CONTROL = /\p{Cc}/gu;
const WORD_CHARACTER = /[\p{L}\p{N}]/u;
/** `-word` and `-"a phrase"` at the start or after a space or parenthesis: websearch's exclusions. */
const EXCLUSION = /(^|[\s(])-(?:"[^"]*"?|\S*)/gu;
const LAST_WORD = /(^|\s)([\p{L}\p{N}]+)$/u;

/** The query as searched: 1–200 characters once trimmed, else 400. */
export function readQuery(raw: string): string {
  const text = raw.toWellFormed().replace(CONTROL, ' ').trim();
  const length = [...text].length;
  if (length < 1 || length > MAX_QUERY_LENGTH) {
    throw errors.badRequest('VALIDATION.FAILED', 'The request is invalid', {
      errors: [{ path: 'querystring/q', message: `must have 1 to ${MAX_QUERY_LENGTH} characters besides surrounding spaces` }],
    });
  }
  return text;
}

/**
 * Null when nothing is left to look for: no letter or digit outside exclusions. Such a query
 * matches nothing (a bare exclusion would otherwise match nearly everything by a full scan).
 */
export function termsOf(text: string): QueryTerms | null {
  const words = withoutBareExclusions(text);
  const fuzzy = words.replace(EXCLUSION, ' ').trim();
  if (!WORD_CHARACTER.test(fuzzy)) return null;
  const last = LAST_WORD.exec(words);
  const prefix = last ? { head: words.slice(0, last.index + last[1]!.length), last: last[2]! } : null;
  return { words, prefix, fuzzy };
}

const OR = /\s+or\s+/iu;

/**
 * Drops the alternatives made only of exclusions: "cats or -dogs" would match every document
 * without "dogs", which no index can find but by reading all of them.
 */
function withoutBareExclusions(text: string): string {
  const alternatives = text.split(OR);
  if (alternatives.length < 2) return text;
  const kept = alternatives.filter((alternative) => WORD_CHARACTER.test(alternative.replace(EXCLUSION, ' ')));
  return kept.length === alternatives.length ? text : kept.join(' or ');
}
