/** What identity's use cases work with, assembled once by app.ts (and by tests through buildApp). */
import type { Clock } from '@agora/kit/clock';
import type { Database } from '@agora/kit/db/database';
import type { Logger } from '@agora/kit/logger';
import type { CounterStore } from '@agora/kit/store/types';
import type { RevocationList } from '@agora/kit/store/revocation';
import type { IdentityConfig } from '../config.ts';
import type { KeyRing } from '../keys/key-ring.ts';
import type { Mailer } from '../mail/mailer.ts';

export interface IdentityContext {
  config: IdentityConfig;
  database: Database;
  clock: Clock;
  logger: Logger;
  counters: CounterStore;
  revocations: RevocationList;
  keys: KeyRing;
  mailer: Mailer;
  /** Mail sent after a response: tracked so shutdown (and tests) can wait for it. */
  background: BackgroundWork;
}

/** Who is asking, for events (correlation) and throttling (client address). */
export interface RequestMeta {
  correlationId: string;
  ip: string;
}

export interface BackgroundWork {
  run(name: string, work: () => Promise<void>): void;
  /** Resolves when everything started so far has settled. */
  settled(): Promise<void>;
}

export function createBackgroundWork(logger: Logger): BackgroundWork {
  const pending = new Set<Promise<void>>();
  return {
    run(name, work) {
      const task = work().catch((err: unknown) => logger.error({ err, task: name }, 'background work failed'));
      pending.add(task);
      void task.finally(() => pending.delete(task));
    },
    async settled() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
  };
}
