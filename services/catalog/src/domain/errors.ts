/** The errors several use cases share. */
import { errors } from '@agora/kit/errors';

export const productNotFound = () => errors.notFound('CATALOG.PRODUCT_NOT_FOUND', 'No such product');

export const categoryNotFound = () => errors.notFound('CATALOG.CATEGORY_NOT_FOUND', 'No such category');

export const unknownCategory = () =>
  errors.badRequest('CATALOG.UNKNOWN_CATEGORY', 'No such category', { errors: [{ path: 'body/categoryId', message: 'is not a category' }] });

export const notYourProduct = () => errors.forbidden('CATALOG.FORBIDDEN', 'Only the product’s seller or an admin may change it');
