import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInProcessBus } from '../../src/bus/in-process-bus.ts';
import { openDatabase } from '../../src/db/open-database.ts';
import { describeOutboxSuite } from './outbox-suite.ts';
import { testLogger } from './support.ts';

describeOutboxSuite('PGlite + in-process bus', async () => {
  const bus = createInProcessBus({ logger: testLogger() });
  const dirs: string[] = [];
  return {
    bus,
    async newTarget(role) {
      const dataDir = await mkdtemp(path.join(tmpdir(), `agora-bus-${role}-`));
      dirs.push(dataDir);
      return { service: role, dataDir };
    },
    open: (target) => openDatabase({ ...target, logger: testLogger() }),
    track: () => undefined,
    async dispose() {
      await bus.close();
      for (const dir of dirs) await rm(dir, { recursive: true, force: true });
    },
  };
});
