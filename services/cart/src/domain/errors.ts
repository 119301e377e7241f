/** The errors the cart's use cases throw (mapped to problem+json by the kit). */
import { errors } from '@agora/kit/errors';

export const productNotFound = () => errors.notFound('CART.PRODUCT_NOT_FOUND', 'No such product');

/** The user's token outlived their account, whose cart went with it. */
export const cartErased = () => errors.notFound('CART.NOT_FOUND', 'No cart: the account was deleted');

export const currencyMismatch = (productCurrency: string, cartCurrencies: string[]) =>
  errors.conflict('CART.CURRENCY_MISMATCH', 'A cart holds one currency', {
    detail: `The product is priced in ${productCurrency}; the cart holds ${cartCurrencies.join(', ')}. Check out or remove those lines first.`,
  });

export const tooManyLines = (max: number) =>
  errors.conflict('CART.TOO_MANY_LINES', 'The cart is full', { detail: `A cart holds at most ${max} lines.` });
