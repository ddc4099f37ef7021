import { fail } from '../call/validate';
import type { EcomEvent } from '../call/event';

/**
 * What eSputnik needs of a call beyond SPEC §3's rules: a price for every product it is shown, which its
 * product views, carts and orders all require (seeds 001, 002). A removal's cart keeps the price, and a refund
 * shows no product. Names, urls and pictures are descriptive: never asked for here, so an order is never lost
 * to one. Throws the reason the console line gives.
 */
export const requireEsputnik = (event: EcomEvent): void => {
  if (event.type != 'removeFromCart' && event.type != 'refund')
    event.products.forEach((product, i) => product.price === undefined && fail(`not sent to eSputnik: products[${i}].price is required`));
};
