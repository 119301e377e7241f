/**
 * docs/api/ holds the merged OpenAPI document and its Postman collection; they must be what
 * `npm run api:docs` writes from the platform as it is now, and the document must lint clean.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { generateApiDocs, type ApiDocs } from '../src/api-docs/api-docs.ts';
import { COLLECTION_FILE, OPENAPI_FILE, ROOT } from '../src/api-docs/files.ts';
import { lintApiDocument } from '../src/api-docs/lint-document.ts';
import { normalizeDocument } from '../src/api-docs/normalize-document.ts';
import { postmanCollection } from '../src/api-docs/postman-collection.ts';

/** Where two texts first differ, so a failure says what changed without printing 1 MB. */
function firstDifference(expected: string, actual: string): string {
  const want = expected.split('\n');
  const got = actual.split('\n');
  const line = want.findIndex((text, index) => text !== got[index]);
  const at = line === -1 ? want.length : line;
  return `line ${at + 1}: checked in ${JSON.stringify(want[at] ?? '(end of file)')}, generated ${JSON.stringify(got[at] ?? '(end of file)')}`;
}

async function assertCurrent(file: string, generated: string) {
  const checkedIn = await readFile(file, 'utf8').catch(() => '');
  const name = path.relative(ROOT, file);
  assert.ok(checkedIn === generated, `${name} is not what the platform serves now; run \`npm run api:docs\` and commit it (${firstDifference(checkedIn, generated)})`);
}

describe('API docs (docs/api/)', () => {
  let docs: ApiDocs;

  before(async () => {
    docs = await generateApiDocs();
  });

  it('openapi.json is the merged document the gateway serves', async () => {
    await assertCurrent(OPENAPI_FILE, docs.openapi);
  });

  it('the Postman collection is current, and converting again gives the same bytes', async () => {
    await assertCurrent(COLLECTION_FILE, docs.collection);
    const again = await postmanCollection(normalizeDocument(JSON.parse(docs.openapi)));
    assert.equal(`${JSON.stringify(again, null, 2)}\n`, docs.collection);
  });

  it('the document has no lint errors (redocly.yaml)', async () => {
    const { problems, totals } = await lintApiDocument(docs.openapi, OPENAPI_FILE);
    const errors = problems.filter((problem) => problem.severity === 'error').map((problem) => `${problem.ruleId}: ${problem.message} (${problem.location[0]?.pointer ?? ''})`);
    assert.equal(totals.errors, 0, `npm run api:lint reports:\n${errors.join('\n')}`);
  });
});
