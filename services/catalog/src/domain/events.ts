/** The events the catalog publishes, through the outbox (see @agora/kit/bus/emit). */
import { emitterFor } from '@agora/kit/bus/emit';

export const SERVICE_NAME = 'catalog';

export const emit = emitterFor<'product.created' | 'product.updated' | 'product.deleted' | 'stock.reserved' | 'stock.rejected' | 'stock.released'>(
  SERVICE_NAME,
);
