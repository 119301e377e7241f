/**
 * Postman gives the collection and every folder, request and example a random id (`_postman_id`,
 * `id`), so each conversion would rewrite them all. Each becomes a hash of where the object sits,
 * by name (`Agora API/item/posts/item/Write a post`), so an id changes only with what it names.
 */
import { createHash } from 'node:crypto';
import type { Json } from '@agora/gateway/openapi/merge-documents';

const ID_KEYS = new Set(['id', '_postman_id']);

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A SHA-1 of `name` shaped like a version-5 UUID, the form Postman's own ids have. */
export function stableUuid(name: string): string {
  const bytes = createHash('sha1').update(name).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function withStableIds(collection: Json): Json {
  // Two requests or examples may share a name in one folder; the second is `…#1`, and so on.
  const used = new Map<string, number>();
  const visit = (value: unknown, where: string): unknown => {
    if (Array.isArray(value)) {
      return value.map((entry, index) => visit(entry, `${where}/${isObject(entry) && typeof entry['name'] === 'string' ? entry['name'] : index}`));
    }
    if (!isObject(value)) return value;
    let self = where;
    if (Object.keys(value).some((key) => ID_KEYS.has(key))) {
      const seen = used.get(where) ?? 0;
      used.set(where, seen + 1);
      if (seen > 0) self = `${where}#${seen}`;
    }
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [key, ID_KEYS.has(key) && typeof inner === 'string' ? stableUuid(self) : visit(inner, `${self}/${key}`)]),
    );
  };
  const info = isObject(collection['info']) ? collection['info'] : {};
  return visit(collection, String(info['name'] ?? 'collection')) as Json;
}
