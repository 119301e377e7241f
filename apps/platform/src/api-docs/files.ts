/** Where the API documents live in the repository, for the generator, the lint and the test. */
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../../../..');
export const OPENAPI_FILE = path.join(ROOT, 'docs/api/openapi.json');
export const COLLECTION_FILE = path.join(ROOT, 'docs/api/agora.postman_collection.json');
export const LINT_CONFIG = path.join(ROOT, 'redocly.yaml');

/** How both files are written: two-space JSON with a final newline, as an editor would save it. */
export const fileText = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;
