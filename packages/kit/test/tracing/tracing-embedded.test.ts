import { createInProcessBus } from '../../src/bus/in-process-bus.ts';
import { openDatabase } from '../../src/db/open-database.ts';
import { testLogger } from '../bus/support.ts';
import { describeTraceSuite } from './trace-suite.ts';

describeTraceSuite('PGlite + in-process bus', async () => {
  const bus = createInProcessBus({ logger: testLogger() });
  return {
    bus,
    // In memory: a PGlite of each service's own.
    openDatabase: (service) => openDatabase({ service, logger: testLogger() }),
    dispose: () => bus.close(),
  };
});
