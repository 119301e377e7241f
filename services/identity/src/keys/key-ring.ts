/**
 * The keys this instance signs and verifies with: from JWT_SIGNING_KEYS (the last one signs) or
 * from the database, reloaded periodically so a rotation done by `rotate-keys.ts` (or another
 * instance) reaches every instance well within the activation lead time.
 */
import { createLocalJWKSet, importJWK, type CryptoKey, type JWTVerifyGetKey } from 'jose';
import { TOKEN_ALGORITHM } from '@agora/kit/auth/access-token';
import type { Clock } from '@agora/kit/clock';
import type { Database } from '@agora/kit/db/database';
import type { Logger } from '@agora/kit/logger';
import { listUnretiredKeys } from '../db/signing-keys.repository.ts';
import { ensureSigningKey, type KeyMaterial, type PublicJwk } from './signing-keys.ts';

export const KEY_RELOAD_INTERVAL_MS = 60_000;

export interface ActiveKey {
  kid: string;
  key: CryptoKey;
}

export interface KeyRing {
  /** The key that signs now. */
  signingKey(): Promise<ActiveKey>;
  /** Public halves of every published key, for /.well-known/jwks.json. */
  publicKeys(): PublicJwk[];
  /** For jwtVerify: resolves the key named by a token's `kid` among the published ones. */
  readonly getKey: JWTVerifyGetKey;
  reload(): Promise<void>;
  close(): void;
}

interface Entry extends KeyMaterial {
  activeFrom: Date;
}

function ringOf(load: () => Promise<Entry[]>, clock: Clock, logger: Logger, reloadEveryMs: number | null): Promise<KeyRing> {
  let entries: Entry[] = [];
  let localSet: JWTVerifyGetKey = createLocalJWKSet({ keys: [] });
  const imported = new Map<string, Promise<CryptoKey>>();

  const reload = async (): Promise<void> => {
    const loaded = await load();
    if (loaded.length === 0) throw new Error('no signing keys');
    entries = loaded;
    localSet = createLocalJWKSet({ keys: loaded.map((entry) => ({ ...entry.publicJwk })) });
  };

  let timer: NodeJS.Timeout | undefined;
  if (reloadEveryMs !== null) {
    timer = setInterval(() => {
      reload().catch((err: unknown) => logger.warn({ err }, 'reloading signing keys failed; keeping the ones loaded'));
    }, reloadEveryMs);
    timer.unref();
  }

  const ring: KeyRing = {
    async signingKey() {
      const now = clock.now().getTime();
      // Entries are in activation order: the last one already active signs.
      const active = entries.filter((entry) => entry.activeFrom.getTime() <= now).at(-1) ?? entries[0];
      if (!active) throw new Error('no signing keys loaded');
      let key = imported.get(active.kid);
      if (!key) {
        key = importJWK(active.privateJwk, TOKEN_ALGORITHM) as Promise<CryptoKey>;
        imported.set(active.kid, key);
      }
      return { kid: active.kid, key: await key };
    },
    publicKeys: () => entries.map((entry) => ({ ...entry.publicJwk })),
    getKey: (header, token) => localSet(header, token),
    reload,
    close: () => clearInterval(timer),
  };
  return reload().then(() => ring);
}

/** Keys given by configuration: fixed for the life of the process, the last one signs. */
export function configuredKeyRing(keys: KeyMaterial[], clock: Clock, logger: Logger): Promise<KeyRing> {
  const entries = keys.map((key, index) => ({ ...key, activeFrom: new Date(index) }));
  return ringOf(async () => entries, clock, logger, null);
}

/** Keys kept in the database: one is generated on first start; reloaded every `reloadEveryMs`. */
export async function databaseKeyRing(
  database: Database,
  clock: Clock,
  logger: Logger,
  reloadEveryMs: number = KEY_RELOAD_INTERVAL_MS,
): Promise<KeyRing> {
  await ensureSigningKey(database, clock);
  const load = async (): Promise<Entry[]> =>
    (await listUnretiredKeys(database.db)).map((row) => ({
      kid: row.kid,
      privateJwk: row.privateJwk,
      publicJwk: row.publicJwk,
      activeFrom: row.activeFrom,
    }));
  return ringOf(load, clock, logger, reloadEveryMs);
}
