/** The events the comments service publishes, through the outbox (see @agora/kit/bus/emit). */
import { emitterFor } from '@agora/kit/bus/emit';

export const SERVICE_NAME = 'comments';

export const emit = emitterFor<'comment.created' | 'comment.deleted'>(SERVICE_NAME);
