/** Both API files as their text, generated from what the gateway serves now. */
import { fetchMergedDocument } from './merged-document.ts';
import { normalizeDocument } from './normalize-document.ts';
import { postmanCollection } from './postman-collection.ts';
import { fileText } from './files.ts';

export interface ApiDocs {
  /** docs/api/openapi.json */
  openapi: string;
  /** docs/api/agora.postman_collection.json */
  collection: string;
}

export async function generateApiDocs(): Promise<ApiDocs> {
  const document = normalizeDocument(await fetchMergedDocument());
  return { openapi: fileText(document), collection: fileText(await postmanCollection(document)) };
}
