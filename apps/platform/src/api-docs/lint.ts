/**
 * `npm run api:lint`: lints the merged OpenAPI document the gateway serves now, or with a path
 * (`npm run api:lint -- docs/api/openapi.json`) that file, which skips starting the platform.
 * Prints every problem; exits 1 when any is an error (warnings are reported, not failed on).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { formatProblems } from '@redocly/openapi-core';
import { generateApiDocs } from './api-docs.ts';
import { OPENAPI_FILE, ROOT } from './files.ts';
import { lintApiDocument } from './lint-document.ts';

const file = process.argv[2];
try {
  const source = file ? path.resolve(file) : OPENAPI_FILE;
  const text = file ? await readFile(source, 'utf8') : (await generateApiDocs()).openapi;
  const { problems, totals } = await lintApiDocument(text, source);
  formatProblems(problems, { format: 'stylish', totals, cwd: ROOT, color: process.stdout.isTTY, maxProblems: problems.length });
  process.stdout.write(`${file ?? 'merged document'}: ${totals.errors} errors, ${totals.warnings} warnings\n`);
  if (totals.errors > 0) process.exitCode = 1;
} catch (error) {
  process.stderr.write(`api:lint: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
