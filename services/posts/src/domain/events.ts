/** The events the posts service publishes, through the outbox (see @agora/kit/bus/emit). */
import { emitterFor } from '@agora/kit/bus/emit';

export const SERVICE_NAME = 'posts';

export const emit = emitterFor<'post.created' | 'post.updated' | 'post.deleted'>(SERVICE_NAME);
