/** Events from the catalog: the products projection. Thin: the rules live in domain/project-products.ts. */
import { ProductChanged, ProductDeleted, type EventData } from '@agora/contracts/events';
import type { EventHandler } from '@agora/kit/service';
import { deleteProduct, saveProduct } from '../domain/project-products.ts';

export function productConsumers() {
  const save: EventHandler = async (event, tx) => {
    await saveProduct(tx, event.data as EventData<'product.created'>);
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
