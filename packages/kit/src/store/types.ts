/**
 * Small stores for cache, rate limits and revocation, with a memory adapter (embedded mode)
 * and a Redis adapter (distributed); one shared contract suite checks both.
 */
export interface KeyValueStore {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  /** Sets only when the key is absent; true when this call set it. */
  setIfAbsent(key: string, value: string, ttlMs?: number): Promise<boolean>;
  delete(key: string): Promise<void>;
}

export interface WindowCount {
  count: number;
  /** Epoch milliseconds at which the window ends and the count starts again from zero. */
  resetAt: number;
}

/** Fixed-window counters: the first increment opens a window of `windowMs`. */
export interface CounterStore {
  increment(key: string, windowMs: number): Promise<WindowCount>;
  /** The current window's count, or null when no window is open. */
  peek(key: string): Promise<WindowCount | null>;
  reset(key: string): Promise<void>;
}

export type Unsubscribe = () => Promise<void>;

/** Fire-and-forget fan-out between instances (live notifications, cache invalidation). */
export interface PubSub {
  publish(channel: string, message: string): Promise<void>;
  subscribe(channel: string, listener: (message: string) => void): Promise<Unsubscribe>;
}

export interface Stores {
  readonly kind: 'memory' | 'redis';
  readonly kv: KeyValueStore;
  readonly counters: CounterStore;
  readonly pubsub: PubSub;
  ping(): Promise<void>;
  close(): Promise<void>;
}
