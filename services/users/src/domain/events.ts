/** The events the users service publishes, through the outbox (see @agora/kit/bus/emit). */
import { emitterFor } from '@agora/kit/bus/emit';

export const SERVICE_NAME = 'users';

export const emit = emitterFor<'profile.updated' | 'user.followed' | 'user.unfollowed'>(SERVICE_NAME);
