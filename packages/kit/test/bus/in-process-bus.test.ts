import { createInProcessBus } from '../../src/bus/in-process-bus.ts';
import { describeBusContract } from './bus-contract.ts';
import { testLogger } from './support.ts';

let queues = 0;

describeBusContract('in-process', async () => {
  const bus = createInProcessBus({ logger: testLogger() });
  return { bus, queue: () => `contract.q${++queues}`, dispose: () => bus.close() };
});
