/**
 * Events from catalog: the product projection (product.*) and its verdict on an order's stock
 * (stock.*). Thin: the rules live in domain/project-products.ts and domain/advance-saga.ts.
 * stock.released needs nothing from orders: it follows an order.cancelled this service made.
 */
import { ProductChanged, ProductDeleted, StockRejected, StockReserved, type EventData } from '@agora/contracts/events';
import type { EventHandler } from '@agora/kit/service';
import { cancelFailedOrder, recordStockReserved } from '../domain/advance-saga.ts';
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
    'stock.reserved': async (event, tx) => {
      const data = event.data as EventData<'stock.reserved'>;
      await recordStockReserved(ctx, tx, data.orderId, new Date(data.reservedAt));
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
      'stock.reserved': StockReserved,
      'stock.rejected': StockRejected,
    },
  };
}
