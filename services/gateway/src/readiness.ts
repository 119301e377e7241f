/**
 * The gateway is ready only when it can serve: its own stores and bus answer, and every built
 * service behind it says it is ready. An orchestrator then keeps traffic away from a gateway
 * whose services are still migrating or have lost their database.
 */
import type { ServiceEntry } from '@agora/contracts/services';
import type { ReadinessCheck } from '@agora/kit/http/health';
import type { EventBus } from '@agora/kit/bus/types';
import type { Stores } from '@agora/kit/store/types';

const PROBE_TIMEOUT_MS = 1_500;

async function probe(base: string): Promise<void> {
  let response: Response;
  try {
    response = await fetch(`${base}/health/ready`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
  } catch (error) {
    throw new Error(error instanceof Error && error.name === 'TimeoutError' ? 'timed out' : 'unreachable', { cause: error });
  }
  await response.body?.cancel();
  if (response.status !== 200) throw new Error(`not ready (${response.status})`);
}

export function readinessChecks(options: {
  services: readonly ServiceEntry[];
  upstreams: Record<string, string>;
  stores: Stores;
  bus: EventBus;
}): Record<string, ReadinessCheck> {
  const checks: Record<string, ReadinessCheck> = {
    stores: () => options.stores.ping(),
    bus: async () => {
      if (!(await options.bus.isReady())) throw new Error('broker not connected');
    },
  };
  for (const service of options.services) {
    if (!service.built) continue;
    const base = options.upstreams[service.name];
    checks[service.name] = base ? () => probe(base) : async () => Promise.reject(new Error('no upstream configured'));
  }
  return checks;
}
