/** The events identity publishes, through the outbox (see @agora/kit/bus/emit). */
import { emitterFor } from '@agora/kit/bus/emit';

export const SERVICE_NAME = 'identity';

export const emit = emitterFor<'user.registered' | 'user.deleted' | 'user.roles_changed' | 'session.revoked'>(SERVICE_NAME);
