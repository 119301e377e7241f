/**
 * `npm run api:docs`: writes docs/api/openapi.json (the merged document the gateway serves) and
 * docs/api/agora.postman_collection.json (its Postman collection). The api-docs test fails until
 * they are regenerated after an API change.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { generateApiDocs } from './api-docs.ts';
import { COLLECTION_FILE, OPENAPI_FILE, ROOT } from './files.ts';

const started = performance.now();
try {
  const docs = await generateApiDocs();
  await mkdir(path.dirname(OPENAPI_FILE), { recursive: true });
  await writeFile(OPENAPI_FILE, docs.openapi);
  await writeFile(COLLECTION_FILE, docs.collection);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  process.stdout.write(`Wrote ${path.relative(ROOT, OPENAPI_FILE)} and ${path.relative(ROOT, COLLECTION_FILE)} in ${seconds} s\n`);
} catch (error) {
  process.stderr.write(`api:docs: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
