/** The events the payments service publishes, through the outbox (see @agora/kit/bus/emit). */
import { emitterFor } from '@agora/kit/bus/emit';

export const SERVICE_NAME = 'payments';

export const emit = emitterFor<'payment.succeeded' | 'payment.failed' | 'payment.refunded'>(SERVICE_NAME);
