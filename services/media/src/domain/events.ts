/** The events the media service publishes, through the outbox (see @agora/kit/bus/emit). */
import { emitterFor } from '@agora/kit/bus/emit';

export const SERVICE_NAME = 'media';

export const emit = emitterFor<'media.uploaded' | 'media.deleted'>(SERVICE_NAME);
