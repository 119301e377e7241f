/** Events from the catalog. Thin: the rules live in domain/project-products.ts. */
import { ProductChanged, ProductDeleted, type EventData } from '@agora/contracts/events';
import type { EventHandler } from '@agora/kit/service';
import type { SearchContext } from '../domain/context.ts';
import { deleteProduct, saveProduct } from '../domain/project-products.ts';

export function productConsumers(ctx: SearchContext) {
  const save: EventHandler = async (event, tx) => {
    const data = event.data as EventData<'product.created'>;
    if (!(await saveProduct(tx, data))) ctx.logger.debug({ productId: data.productId }, `${event.type} of an erased seller; ignored`);
  };
  const handlers: Record<string, EventHandler> = {
    'product.created': save,
    'product.updated': save,
    'product.deleted': async (event, tx) => {
      await deleteProduct(tx, event.data as EventData<'product.deleted'>);
    },
  };
  return { handlers, schemas: { 'product.created': ProductChanged, 'product.updated': ProductChanged, 'product.deleted': ProductDeleted } };
}
