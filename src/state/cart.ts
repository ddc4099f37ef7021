import { unitsOf, type EcomEvent, type Product } from '../call/event';

/**
 * The shopper's cart as eSputnik sees it: every line with its units, and the id that ties the cart's events to
 * its purchase (`recycleStateId`), kept for the cart's life and renewed once it is bought. Stored per account,
 * read before and written after every change, so a change in one tab builds on the last change in any tab.
 */
export interface Cart {
  id: string;
  lines: Array<Product & { quantity: number }>;
}

/**
 * The cart after `event`. Adding sums units and lets the latest fields (the price) win; removing without a
 * quantity removes the line, and units never go below zero; a checkout states the whole cart; a purchase
 * empties it under a new id. A line with no units left is no line. A cart gets its id at its first change: a
 * shopper who only looks has none, and no id is made for nothing (a uuid costs as much as a storage write).
 */
export const nextCart = (cart: Cart, event: EcomEvent, newId: () => string): Cart => {
  if (event.type == 'purchase') return { id: newId(), lines: [] };
  const id = cart.id || newId();
  if (event.type == 'checkout') return { id, lines: event.products.map((product) => Object.assign({}, product, { quantity: unitsOf(product) })).filter((line) => line.quantity) };
  const lines = cart.lines.slice();
  for (const product of event.products) {
    const at = lines.findIndex((line) => line.id === product.id);
    const had = at < 0 ? 0 : lines[at].quantity;
    const quantity = event.type == 'addToCart' ? had + unitsOf(product) : product.quantity === undefined ? 0 : Math.max(0, had - product.quantity);
    const line = Object.assign({}, lines[at], event.type == 'addToCart' ? product : {}, { quantity });
    if (!quantity) at < 0 || lines.splice(at, 1);
    else if (at < 0) lines.push(line);
    else lines[at] = line;
  }
  return { id, lines };
};
