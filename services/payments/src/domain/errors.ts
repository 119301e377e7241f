/** The errors the payments routes answer with, besides the kit's. */
import { errors } from '@agora/kit/errors';

export const paymentNotFound = () => errors.notFound('PAYMENTS.NOT_FOUND', 'No such payment');

export const userFilterForbidden = () =>
  errors.forbidden('PAYMENTS.USER_FILTER_FORBIDDEN', 'Only an admin may list the payments of another user');
