export type { CounterStore, KeyValueStore, PubSub, Stores, Unsubscribe, WindowCount } from './types.ts';
export { createMemoryStores, type MemoryStoresOptions } from './memory-stores.ts';
export { createRedisStores, type RedisStoresOptions } from './redis-stores.ts';
export { openStores, type OpenStoresOptions } from './open-stores.ts';
export { checkRateLimit, rateLimitHeaders, type RateLimitDecision } from './rate-limit.ts';
export { createRevocationList, type RevocationList } from './revocation.ts';
