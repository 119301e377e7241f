/** The events the likes service publishes, through the outbox (see @agora/kit/bus/emit). */
import { emitterFor } from '@agora/kit/bus/emit';

export const SERVICE_NAME = 'likes';

export const emit = emitterFor<'post.liked' | 'post.unliked' | 'comment.liked' | 'comment.unliked'>(SERVICE_NAME);
