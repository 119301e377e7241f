/** Defaults shared by both bus adapters so a service behaves the same embedded and distributed. */
export const DEFAULT_PREFETCH = 10;
/** Backoff before each retry; after the last one a delivery is dead-lettered. */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [1_000, 5_000, 30_000];
