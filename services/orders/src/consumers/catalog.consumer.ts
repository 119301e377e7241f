/**
 * Events from catalog: the product projection (product.*) and its verdict on an order's stock
 * (stock.*). Thin: the rules live in domain/project-products.ts and domain/advance-saga.ts.
 * stock.reserved and stock.released need nothing from orders: payments acts on the first, and the
 * second follows an order.cancelled this service made. Not consuming them spares a transaction
 * per checkout.
 */
import { ProductChanged, ProductDeleted, StockRejected, type EventData } from '@agora/contracts/events';
import type { EventHandler } from '@agora/kit/service';
import { cancelFailedOrder } from '../domain/advance-saga.ts';
import { causedBy, type OrdersContext } from '../domain/context.ts';
import { forgetProduct, trackProduct } from '../domain/project-products.ts';

export function catalogConsumers(ctx: OrdersContext) {
  const handlers: Record<string, EventHandler> = {
    'product.created': async (event, tx) => {
      await trackProduct(tx, event.data as EventData<'product.created'>);
    },
    'product.updated': async (event, tx) => {
      await trackProduct(tx, event.data as EventData<'product.updated'>);
    },
    'product.deleted': async (event, tx) => {
      await forgetProduct(tx, event.data as EventData<'product.deleted'>);
    },
    'stock.rejected': async (event, tx) => {
      const data = event.data as EventData<'stock.rejected'>;
      await cancelFailedOrder(ctx, tx, data.orderId, 'out_of_stock', causedBy(event));
    },
  };
  return {
    handlers,
    schemas: {
      'product.created': ProductChanged,
      'product.updated': ProductChanged,
      'product.deleted': ProductDeleted,
      'stock.rejected': StockRejected,
    },
  };
}
