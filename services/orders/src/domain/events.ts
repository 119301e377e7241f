/** The events the orders service publishes, through the outbox (see @agora/kit/bus/emit). */
import { emitterFor } from '@agora/kit/bus/emit';

export const SERVICE_NAME = 'orders';

export const emit = emitterFor<'order.created' | 'order.confirmed' | 'order.cancelled'>(SERVICE_NAME);
